"""Reading one YAML file into plain data, refusing duplicate keys, with the line of every field on demand."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

# libyaml's C parser when the machine has it. Scalars stay strings (no implicit YAML 1.1 typing, so
# `off` or `no` are never booleans): the pydantic model converts dates, numbers and booleans itself.
_BaseLoader = getattr(yaml, "CBaseLoader", yaml.BaseLoader)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})

Loc = tuple[str | int, ...]


@dataclass
class YamlProblem(Exception):
    line: int | None
    message: str
    field: str = ""


class _Loader(_BaseLoader):
    # Every node keeps its default tag: nothing is typed by how it looks, and this is the hot path.
    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return _TAGS[kind]


_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq"}
_TAGS[yaml.MappingNode] = "tag:yaml.org,2002:map"


# Venue files are small and shallow; these bounds keep a hostile file from taking the build down.
MAX_BYTES = 256 * 1024
MAX_DEPTH = 8


def _data(loader: _Loader) -> Any:
    """Plain data from the parser's events, in one pass without recursion, refusing what a venue file
    has no use for: anchors and aliases (and so merge keys), keys that are not plain words, duplicate
    keys, and nesting deeper than the schema goes."""
    frames: list[list[Any]] = []  # [container, pending key or _KEY, lines of keys]
    try:
        return _events_to_data(loader, frames)
    except YamlProblem as problem:
        problem.field = _field_at(frames)
        raise


def _field_at(frames: list[list[Any]]) -> str:
    # The dotted field the parser was in, as errors name fields: `permissions[2].aka`.
    out = ""
    for container, key, _ in frames:
        if isinstance(container, list):
            out += f"[{len(container)}]"
        elif key is not _KEY:
            out += f".{key}" if out else str(key)
    return out


def _events_to_data(loader: _Loader, frames: list[list[Any]]) -> Any:
    root: Any = None
    while loader.check_event():
        event = loader.get_event()
        kind = type(event)
        line = event.start_mark.line + 1
        if kind is yaml.AliasEvent:
            raise YamlProblem(line, f"an alias (*{event.anchor}) is not allowed in a venue file; write the value out")
        if getattr(event, "anchor", None):
            raise YamlProblem(line, f"an anchor (&{event.anchor}) is not allowed in a venue file; write values out")
        if kind is yaml.ScalarEvent:
            # An empty or null plain value is None, so the model can say "is empty: fill it in".
            value: Any = None if not event.style and event.value in _NULLS else event.value
        elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
            if frames and frames[-1][1] is _KEY:
                raise YamlProblem(line, "a key must be a plain word (e.g. `label:`), not a list or mapping")
            if len(frames) >= MAX_DEPTH:
                raise YamlProblem(line, f"nesting deeper than {MAX_DEPTH} levels; no venue field goes that deep")
            frames.append([{}, _KEY, {}] if kind is yaml.MappingStartEvent else [[], None, None])
            continue
        elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
            value = frames.pop()[0]
        else:
            continue
        if not frames:
            root = value
            continue
        frame = frames[-1]
        container = frame[0]
        if isinstance(container, list):
            container.append(value)
        elif frame[1] is _KEY:
            if value is None or value == "<<":
                what = "a merge key (<<)" if value == "<<" else "an empty key"
                raise YamlProblem(line, f"{what} is not allowed in a venue file; name each field")
            if value in container:
                raise YamlProblem(line, f"{value}: duplicate key (first set on line {frame[2][value]}); keep one")
            frame[2][value] = line
            frame[1] = value
        else:
            container[frame[1]] = value
            frame[1] = _KEY
    return root


_KEY = object()


@dataclass
class YamlDoc:
    data: Any
    text: str = ""
    _lines: dict[Loc, int] | None = field(default=None, repr=False)

    def line_of(self, loc: Loc) -> int | None:
        """The line of `loc`, or of the nearest enclosing field that has one."""
        if self._lines is None:
            # Parsed again only when a problem needs a line: keeping every file's node tree alive
            # would make the garbage collector rescan it throughout the build.
            self._lines = {}
            loader = _Loader(self.text)
            try:
                _map_lines(loader.get_single_node(), (), self._lines)
            finally:
                loader.dispose()
        for end in range(len(loc), -1, -1):
            if loc[:end] in self._lines:
                return self._lines[loc[:end]]
        return None


@contextmanager
def paused_gc() -> Iterator[None]:
    """Pauses the cyclic garbage collector for bulk work that makes no reference cycles.

    Loading, validating and rendering make hundreds of thousands of short-lived objects; with the
    collector running they trigger full passes over the whole build's heap, which grows with the
    number of venues (a 1,000-venue build spent more time collecting than working).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_yaml(path: Path, raw: bytes | None = None) -> YamlDoc:
    """The venue file at `path`, parsed; from `raw`, its bytes as already read, when given."""
    raw = path.read_bytes() if raw is None else raw
    if len(raw) > MAX_BYTES:
        raise YamlProblem(None, f"the file is {len(raw):,} bytes; a venue file may be at most {MAX_BYTES:,}")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise YamlProblem(line, f"the file is not UTF-8 (byte 0x{raw[err.start]:02x}); save it as UTF-8") from None
    loader = _Loader(text)
    try:
        data = _data(loader)
    except yaml.reader.ReaderError as err:
        line = text[: err.position].count("\n") + 1
        raise YamlProblem(line, f"the file contains the control character U+{err.character:04X}; delete it") from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        raise YamlProblem(line, _syntax_message(err, text, line)) from None
    finally:
        loader.dispose()
    if data is None:
        raise YamlProblem(None, "the file is empty; copy a venue file or run `./dev new-venue` to start one")
    return YamlDoc(data, text)


def _syntax_message(err: yaml.MarkedYAMLError, text: str, line: int | None) -> str:
    # libyaml's words for a tab ("found character that cannot start any token") never say "tab".
    source = text.splitlines()[line - 1] if line and line <= len(text.splitlines()) else ""
    key = re.match(r"\s*-?\s*([A-Za-z_][\w-]*)\s*:", source)
    field = f" (at `{key.group(1)}:`)" if key else ""
    if "\t" in source[: len(source) - len(source.lstrip())] or "'\\t'" in str(err.problem):
        return f"a tab indents this line{field}; YAML indents with spaces only: replace the tab with spaces"
    return f"YAML syntax error{field}: {err.problem or err.context}"


def _map_lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int]) -> None:
    # The 1-based line of every mapping key and sequence item; only needed to report a problem.
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            _map_lines(value_node, (*loc, key_node.value), lines)
            lines[(*loc, key_node.value)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _map_lines(item, (*loc, index), lines)
