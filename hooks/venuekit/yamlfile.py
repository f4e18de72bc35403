"""Reading one YAML file into plain data, refusing duplicate keys, with the line of every field on demand."""

from __future__ import annotations

import gc
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


class _Loader(_BaseLoader):
    # Every node keeps its default tag: nothing is typed by how it looks, and this is the hot path.
    def resolve(self, kind: type, value: Any, implicit: Any) -> str:
        return _TAGS[kind]


_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq"}
_TAGS[yaml.MappingNode] = "tag:yaml.org,2002:map"


def _data(node: yaml.Node) -> Any:
    # Plain data from a node tree: faster than PyYAML's general constructor, and refuses duplicate keys.
    if isinstance(node, yaml.ScalarNode):
        # An empty or null plain value is None, so the model can say "is empty: fill it in".
        # (Plain style is None in the Python parser and "" in libyaml's.)
        return None if not node.style and node.value in _NULLS else node.value
    if isinstance(node, yaml.SequenceNode):
        return [_data(item) for item in node.value]
    out: dict[str, Any] = {}
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        key = key_node.value
        if key in out:
            raise YamlProblem(
                key_node.start_mark.line + 1, f"{key}: duplicate key (first set on line {lines[key]}); keep one"
            )
        lines[key] = key_node.start_mark.line + 1
        out[key] = _data(value_node)
    return out


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


def read_yaml(path: Path) -> YamlDoc:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise YamlProblem(line, f"the file is not UTF-8 (byte 0x{raw[err.start]:02x}); save it as UTF-8") from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            raise YamlProblem(None, "the file is empty; copy a venue file or run `./dev new-venue` to start one")
        data = _data(node)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark else None
        raise YamlProblem(line, f"YAML syntax error: {err.problem or err.context}") from None
    finally:
        loader.dispose()
    return YamlDoc(data, text)


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
