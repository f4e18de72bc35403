"""The exchange ids and error classes of the pinned CCXT package, the client the platform runs."""

from __future__ import annotations

import ast
import importlib.util
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path


def _literal(relative: str, name: str) -> object:
    """A literal assigned at the top of one of CCXT's modules, read from its source rather than
    imported: importing CCXT costs half a second of every build."""
    spec = importlib.util.find_spec("ccxt")
    if spec is None or spec.origin is None:
        raise RuntimeError("the ccxt package is not installed; run `./dev validate`, which installs requirements.txt")
    path = Path(spec.origin).parent / relative
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
            return ast.literal_eval(node.value)
    raise RuntimeError(f"{path} no longer assigns `{name}`; update venuekit.ccxtids for this CCXT release")


@cache
def ccxt_exchanges() -> frozenset[str]:
    """`ccxt.exchanges`: every exchange id of the pinned release."""
    return frozenset(_literal("__init__.py", "exchanges"))  # type: ignore[arg-type]


@cache
def ccxt_errors() -> dict[str, str | None]:
    """Every CCXT error class, mapped to its parent class (None for `BaseError`), from
    `ccxt.base.errors.error_hierarchy`."""
    parents: dict[str, str | None] = {}

    def walk(tree: dict, parent: str | None) -> None:
        for name, children in tree.items():
            parents[name] = parent
            walk(children, name)

    walk(_literal("base/errors.py", "error_hierarchy"), None)  # type: ignore[arg-type]
    return parents


@dataclass(frozen=True)
class CcxtCall:
    """One of CCXT's implicit-API methods: the request it sends."""

    name: str
    path: str
    """The path as CCXT writes it, after the API's base, e.g. `account/apiRestrictions`."""
    api: tuple[str, ...]
    method: str


_ENTRY = re.compile(r"^\s+\w+ = (\w+) = Entry\[[^\]]+\]\('([^']*)', \[([^\]]*)\], '([A-Z]+)'", re.MULTILINE)


@cache
def ccxt_calls(exchange_id: str) -> dict[str, CcxtCall]:
    """Every implicit-API method of one exchange in the pinned CCXT, by its camelCase name, read from
    `ccxt/abstract/<id>.py` (empty for an id with no such file)."""
    spec = importlib.util.find_spec("ccxt")
    if spec is None or spec.origin is None or not re.fullmatch(r"[a-z0-9]+", exchange_id):
        return {}
    path = Path(spec.origin).parent / "abstract" / f"{exchange_id}.py"
    if not path.is_file():
        return {}
    return {
        name: CcxtCall(name, route, tuple(a.strip(" '") for a in api.split(",")), method)
        for name, route, api, method in _ENTRY.findall(path.read_text(encoding="utf-8"))
    }


_CLASS = re.compile(r"^class \w+\((\w+)", re.MULTILINE)
_CERTIFIED = re.compile(r"'certified': (True|False)")


@cache
def ccxt_certified() -> frozenset[str]:
    """The exchange ids the pinned CCXT marks `certified`, read from each exchange's source: a
    subclass without a flag of its own (binanceusdm) takes its parent's."""
    spec = importlib.util.find_spec("ccxt")
    if spec is None or spec.origin is None:
        return frozenset()
    root = Path(spec.origin).parent
    flags: dict[str, tuple[bool | None, str]] = {}
    for ident in ccxt_exchanges():
        path = root / f"{ident}.py"
        text = path.read_text(encoding="utf-8") if path.is_file() else ""
        flag, parent = _CERTIFIED.search(text), _CLASS.search(text)
        flags[ident] = (flag.group(1) == "True" if flag else None, parent.group(1) if parent else "")

    def certified(ident: str, depth: int = 0) -> bool:
        flag, parent = flags.get(ident, (False, ""))
        if flag is None and depth < 5:
            return certified(parent, depth + 1)
        return bool(flag)

    return frozenset(ident for ident in flags if certified(ident))
