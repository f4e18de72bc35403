"""Find the help page for a failed exchange connection, using the site's help index (help/index.json)."""

from __future__ import annotations

import json


def help_url(index: dict, exchange_id: str, message: str = "") -> str | None:
    """The page that explains `message` from the exchange with CCXT id `exchange_id`.

    The entry for the error when the index knows it, else the guide's troubleshooting section,
    else None for an exchange the site has no guide for.
    """
    venue = next((v for v in index["venues"] if exchange_id in v["ccxt"]), None)
    if venue is None:
        return None
    known = index["errors"].get(exchange_id, {})
    if message in known:
        return index["site_url"] + known[message]
    # Exchanges wrap their codes and messages in JSON or text: look for the longest known one inside,
    # as written or as JSON escapes it (quotes, non-ASCII letters).
    for error in sorted(known, key=len, reverse=True):
        if error in message or json.dumps(error)[1:-1] in message:
            return index["site_url"] + known[error]
    return index["site_url"] + venue["sections"]["troubleshooting"]


if __name__ == "__main__":
    import sys

    with open(sys.argv[1], encoding="utf-8") as file:
        print(help_url(json.load(file), sys.argv[2], sys.argv[3] if len(sys.argv) > 3 else ""))
