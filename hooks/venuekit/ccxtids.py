"""The exchange ids of the pinned CCXT package, the client the platform runs."""

from __future__ import annotations

import ast
import importlib.util
from functools import cache
from pathlib import Path


@cache
def ccxt_exchanges() -> frozenset[str]:
    """`ccxt.exchanges`, read from the installed package's source rather than imported: importing
    CCXT costs half a second of every build, and its list is one literal in `ccxt/__init__.py`."""
    spec = importlib.util.find_spec("ccxt")
    if spec is None or spec.origin is None:
        raise RuntimeError("the ccxt package is not installed; run `./dev validate`, which installs requirements.txt")
    tree = ast.parse(Path(spec.origin).read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == "exchanges" for t in node.targets):
            return frozenset(ast.literal_eval(node.value))
    raise RuntimeError(f"{spec.origin} no longer lists `exchanges`; update venuekit.ccxtids for this CCXT release")
