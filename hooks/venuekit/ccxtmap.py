"""What the real CCXT client makes of a venue's error strings and codes, for the tests and the
coverage benchmark. The build never imports this module: importing CCXT costs half a second."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from .ccxtids import ccxt_errors

# The classes a reader can cause or fix by how the key was made or pasted.
KEY_ERRORS = ("AuthenticationError", "PermissionDenied", "AccountSuspended", "InvalidNonce")


@dataclass
class ErrorMap:
    """One exchange's error map, flattened: CCXT keeps a map per market type for some exchanges."""

    exact: dict[str, set[str]] = field(default_factory=dict)
    broad: dict[str, set[str]] = field(default_factory=dict)
    http: dict[str, str] = field(default_factory=dict)

    def classes(self, error: str) -> set[str]:
        """The CCXT exception classes this exact string or code can raise; empty if CCXT does not map it."""
        if error in self.exact:
            return self.exact[error]
        # Like CCXT's own find_broadly_matched_key: a broad key found inside the message.
        for key, names in self.broad.items():
            if key in error:
                return names
        if error in self.http:
            return {self.http[error]}
        return set()

    def key_errors(self) -> list[tuple[str, str, bool]]:
        """What CCXT maps to one of KEY_ERRORS or a subclass: (string or code, class, whether broad)."""
        found = []
        for broad, table in ((False, self.exact), (True, self.broad)):
            for error, names in table.items():
                name = next(iter(names))
                if lineage(name) & set(KEY_ERRORS):
                    found.append((error, name, broad))
        return found


# Some exchanges (Binance) keep a map per market type beside the shared one, and look there first.
MARKETS = {"spot": "spot", "margin": "spot", "futures": "linear", "perpetuals": "linear", "options": "option"}


@cache
def error_map(ident: str, product: str = "spot") -> ErrorMap:
    """The map CCXT uses for `ident` on a product's endpoints."""
    import ccxt

    exchange = getattr(ccxt, ident)()
    found = ErrorMap(http={str(k): v.__name__ for k, v in exchange.httpExceptions.items()})

    def add(table: dict) -> None:
        for key, value in table.items():
            if isinstance(value, type):
                found.exact.setdefault(str(key), {value.__name__})
            elif key in ("exact", "broad") and isinstance(value, dict):
                into = found.exact if key == "exact" else found.broad
                for error, cls in value.items():
                    into.setdefault(str(error), {cls.__name__})

    exceptions = exchange.exceptions
    table = MARKETS.get(product, "")
    # A client for inverse contracts (Binance COIN-M) answers its futures from the `inverse` map.
    if table == "linear" and exchange.options.get("defaultSubType") == "inverse":
        table = "inverse"
    market = exceptions.get(table)
    if isinstance(market, dict):
        add(market)
    add(exceptions)
    return found


def ancestry(name: str) -> list[str]:
    """The class and the classes above it, nearest first."""
    parents = ccxt_errors()
    out: list[str] = []
    current: str | None = name
    while current is not None:
        out.append(current)
        current = parents[current]
    return out


def lineage(name: str) -> set[str]:
    return set(ancestry(name))


def common_class(names: set[str]) -> str:
    """The most specific CCXT class that every one of `names` is (itself or a subclass of)."""
    lines = [ancestry(name) for name in names]
    shared = set.intersection(*(set(chain) for chain in lines))
    return next(name for name in lines[0] if name in shared)


@cache
def required_credentials(ident: str) -> frozenset[str]:
    import ccxt

    return frozenset(name for name, needed in getattr(ccxt, ident)().requiredCredentials.items() if needed)
