"""Check that a pasted exchange key can trade and cannot move funds, with the venue's permission
probe from the site's help index (help/index.json).

The check sends one request, the probe: a read-only request the venue documents as reporting the
key's own permissions. It never sends any other request, and none that could move funds.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import ccxt

FUNDS_OUT = ("withdraw", "transfer")


@dataclass(frozen=True)
class Verdict:
    verdict: str
    """`trade-only` (can trade, cannot move funds out), `can-withdraw` (can withdraw or transfer
    funds out: refuse the key), `cannot-trade`, or `unknown` (the venue's answer cannot tell)."""
    reason: str
    """Why, in words the app can show."""
    help: str | None = None
    """The guide's section that explains the check, as a full address."""


def check_key(index: dict, exchange_id: str, credentials: dict, exchange: ccxt.Exchange | None = None) -> Verdict:
    """Ask the venue what the key with `credentials` may do, and read its answer with the probe the
    help index gives for the CCXT id `exchange_id`."""
    venue = next((v for v in index["venues"] if exchange_id in v["ccxt"]), None)
    if venue is None:
        return Verdict("unknown", f"the site has no guide for {exchange_id}")
    probe = venue["probe"]
    help_url = index["site_url"] + probe["section"]
    if not probe["available"]:
        reason = probe["reason"] + (" " + probe["fallback"] if probe["fallback"] else "")
        return Verdict("unknown", reason, help_url)
    if probe["ccxt"] is None:
        return Verdict("unknown", f"CCXT has no method for {probe['method']} {probe['path']}", help_url)
    exchange = exchange or getattr(ccxt, exchange_id)(credentials)
    try:
        answer = getattr(exchange, probe["ccxt"])()
    except ccxt.BaseError as error:
        return Verdict("unknown", f"{venue['venue']} refused the probe ({type(error).__name__}): {error}", help_url)
    verdict = read_answer(probe, answer, credentials.get("apiKey", ""))
    return Verdict(verdict.verdict, verdict.reason, help_url)


def read_answer(probe: dict, answer: object, api_key: str = "") -> Verdict:
    """The verdict a probe's answer gives: any sign of moving funds wins; then anything the answer
    does not show, or shows in a way the venue does not document, makes it unknown; then a key that
    cannot trade is said to be one."""
    found = [(signal, _shows(signal, value_at(answer, signal["field"], api_key))) for signal in probe["signals"]]
    for signal, shows in found:
        moves = [c for c in signal["capability"] if c in FUNDS_OUT]
        if moves and shows:
            return Verdict("can-withdraw", f"the key can {' and '.join(moves)}: {_said(signal)}")
    for signal, shows in found:
        if shows is None:
            return Verdict("unknown", f"the answer has no `{signal['field']}` in the documented form")
    for known in probe["known"]:
        items = _items(value_at(answer, known["field"], api_key))
        # An undocumented item may be falsy (0, null): only "nothing found" is Ellipsis.
        other = next((item for item in items if not any(_same(item, v) for v in known["values"])), ...)
        if other is not ...:
            return Verdict(
                "unknown", f"`{known['field']}` holds `{_shown(other)}`, which the venue's documentation does not list"
            )
    for gap in probe["gaps"]:
        if gap["capability"] in FUNDS_OUT:
            return Verdict(
                "unknown", f"the answer does not show whether the key can {gap['capability']}: {gap['text']}"
            )
    trade = [shows for signal, shows in found if "trade" in signal["capability"]]
    if trade and not any(trade):
        return Verdict("cannot-trade", "the key cannot trade: turn its trade permission on")
    return Verdict("trade-only", "the key can trade and cannot withdraw or transfer funds out")


def value_at(answer: object, field: str, api_key: str = "") -> object:
    """The value at `field` in the answer: keys and list indexes separated by dots, and `[i=value]`
    for the first row of a list whose item (or key) `i` is `value` (`@apiKey`: the pasted key).
    `...` (Ellipsis) when absent."""
    value = answer
    for part in field.split("."):
        if part.startswith("["):
            key, _, wanted = part[1:-1].partition("=")
            wanted = api_key if wanted == "@apiKey" else wanted
            rows = value if isinstance(value, list) else []
            value = next((row for row in rows if str(_item(row, key)) == wanted), ...)
        else:
            value = _item(value, part)
        if value is ...:
            return ...
    return value


def _item(value: object, key: str) -> object:
    if isinstance(value, dict):
        return value.get(key, ...)
    if isinstance(value, list) and key.isdigit() and int(key) < len(value):
        return value[int(key)]
    return ...


def _shows(signal: dict, value: object) -> bool | None:
    # Whether the value shows the capability; None when the answer does not hold the field as documented.
    if value is ... or value is None:
        return None
    if signal["contains"] is not None:
        return any(_same(item, signal["contains"]) for item in _items(value))
    expected = signal["equals"]
    # A value of another JSON type than documented (the string "false", a 0 for false) says nothing.
    if _kind(value) != _kind(expected):
        return None
    return value == expected


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    return "number" if isinstance(value, int | float) else type(value).__name__


def _same(item: object, wanted: object) -> bool:
    # A list item as documented: a number matches written as a number or as text (5 or "5").
    if isinstance(item, bool | dict | list) or isinstance(wanted, bool):
        return item == wanted and isinstance(item, bool) == isinstance(wanted, bool)
    return str(item) == str(wanted)


def _items(value: object) -> list:
    # A list's items, or a string's comma- or space-separated ones.
    if isinstance(value, list):
        return value
    return [item for item in re.split(r"[,\s]+", value) if item] if isinstance(value, str) else []


def _shown(item: object) -> str:
    return item if isinstance(item, str) else json.dumps(item)


def _said(signal: dict) -> str:
    if signal["contains"] is not None:
        return f"`{signal['field']}` includes `{signal['contains']}`"
    return f"`{signal['field']}` is `{json.dumps(signal['equals'])}`"


if __name__ == "__main__":
    import sys

    with open(sys.argv[1], encoding="utf-8") as file:
        site_index = json.load(file)
    keys = json.loads(sys.argv[3])  # {"apiKey": "...", "secret": "...", ...}
    result = check_key(site_index, sys.argv[2], keys)
    print(json.dumps({"verdict": result.verdict, "reason": result.reason, "help": result.help}))
