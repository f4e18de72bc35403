"""The rows of the pages that compare every venue: the venue index, the permission matrix, the key lifecycle."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Capability, Permission, State, Venue
from .render import Guide, escape_label, escape_text

NOT_STATED = "not stated"


@dataclass(frozen=True)
class IndexRow:
    guide: Guide
    products: list[str]
    passphrase: bool
    expiry: list[str]


def index_rows(guides: list[Guide]) -> list[IndexRow]:
    rows = []
    for guide in guides:
        v = guide.venue
        expiry = []
        for rule in v.rules:
            if rule.kind == "expiry":
                expiry.append("on a date you set" if rule.days is None else f"after {rule.days} days")
            elif rule.kind == "inactivity":
                expiry.append(f"after {rule.days} days unused" if rule.days else "when unused")
            elif rule.kind == "ip-whitelist":
                expiry.append(
                    f"after {rule.days} days without an IP whitelist" if rule.days else "without an IP whitelist"
                )
            elif rule.kind == "password-change":
                expiry.append("after a password change")
        rows.append(IndexRow(guide, [v.product.value], v.passphrase, list(dict.fromkeys(expiry))))
    return rows


def permission_rows(guides: list[Guide]) -> list[dict[str, object]]:
    rows = []
    for guide in guides:
        perms = guide.venue.permissions
        usable = [p for p in perms if not p.moves_funds and p.state != State.forbidden]
        trade = _labels(usable, Capability.trade)
        cancel = _labels(usable, Capability.cancel)
        if cancel == NOT_STATED and trade != NOT_STATED:
            cancel = f"*with {trade}*"
        rows.append(
            {
                "guide": guide,
                "balances": _labels(usable, Capability.balances),
                "trade": trade,
                "cancel": cancel,
                "moving": ", ".join(
                    f"{'⚠' if p.state == State.limited else '✗'} {_forbidden(p)}" for p in guide.forbidden
                ),
            }
        )
    return rows


def lifecycle_rows(guides: list[Guide]) -> list[dict[str, object]]:
    rows = []
    for guide in guides:
        v = guide.venue
        limits = [escape_text(r.text) for r in v.rules if r.kind == "limit"]
        if v.facts.key_limit and not limits:
            limits.append(f"Up to {v.facts.key_limit} keys.")
        if v.ip_whitelist.max_addresses:
            limits.append(f"Up to {v.ip_whitelist.max_addresses} IP addresses a key.")
        rows.append(
            {
                "guide": guide,
                "anchor": "key-rules" if v.rules else "quick-facts",
                "expiry": _rules(v, "expiry"),
                "inactivity": _rules(v, "inactivity"),
                "ip": _rules(v, "ip-whitelist"),
                "password": _rules(v, "password-change"),
                "limits": " ".join(limits) or NOT_STATED,
            }
        )
    return rows


def _rules(venue: Venue, kind: str) -> str:
    return " ".join(escape_text(r.text) for r in venue.rules if r.kind == kind) or NOT_STATED


def _labels(permissions: list[Permission], capability: Capability) -> str:
    found = [_label(p) for p in permissions if capability in p.capabilities]
    return ", ".join(dict.fromkeys(found)) or NOT_STATED


def _forbidden(permission: Permission) -> str:
    label = f"**{escape_label(permission.label)}**"
    if permission.state == State.cannot:
        return f"{label} (cannot: nothing to turn on)"
    if permission.state == State.limited and permission.limit:
        return f"{label} (limited: only {escape_text(permission.limit)})"
    return f"{label} (keep at {escape_label(permission.setting)})" if permission.setting else label


def _label(permission: Permission) -> str:
    label = f"**{escape_label(permission.label)}**"
    return f"{label}: {escape_label(permission.setting)}" if permission.setting else label
