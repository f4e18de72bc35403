"""The exchange ids and error classes of the pinned CCXT package, the client the platform runs."""

from __future__ import annotations

import ast
import importlib.util
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
