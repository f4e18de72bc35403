"""The pages' error lookup (docs/assets/error-lookup.js), cut into shards so that a search loads only
the few that can hold what the reader typed, at 1,000 venues as at 10.

Every error string, permission label and other name is a key. A key's shard is a hash of its first
three characters in lower case (no key is shorter), so the script finds a key's shard from the key,
and every message a query begins with from the query's own first three characters: a reader typing a
word loads one shard, whatever its length. A troubleshooting entry or checklist row goes whole into
the shard of each of its keys.
"""

from __future__ import annotations

import json
import math
from typing import Any

FOLDER = "assets/error-lookup"
# About this many bytes per shard: the shard count grows with the site, a shard's size does not.
SHARD_BYTES = 4096
PREFIX = 3


def shard_of(key: str, count: int) -> int:
    """FNV-1a over the code points of the key's first three characters in lower case; error-lookup.js
    computes the same."""
    value = 0x811C9DC5
    for char in key.lower()[:PREFIX]:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % count


def lookup_files(venues: list[dict[str, Any]]) -> dict[str, str]:
    """The manifest (the shard count) and every shard, by their path in the site. Each venue record
    carries `order`, its place in the help index, and `rank`, the place of the venue's first product
    there (Binance's products rank together), which the script orders results by."""
    whole = len(json.dumps(venues, ensure_ascii=False, separators=(",", ":")).encode())
    count = max(1, math.ceil(whole / SHARD_BYTES))
    shards: list[dict[int, dict[str, Any]]] = [{} for _ in range(count)]

    rank: dict[str, int] = {}
    for order, venue in enumerate(venues):
        rank.setdefault(venue["venue"], order)

    def add(shard: int, order: int, venue: dict[str, Any], field: str, item: dict[str, Any]) -> None:
        header = {**venue, "order": order, "rank": rank[venue["venue"]], "errors": [], "permissions": []}
        record = shards[shard].setdefault(order, header)
        if item not in record[field]:
            record[field].append(item)

    for order, venue in enumerate(venues):
        for entry in venue["errors"]:
            for key in entry["errors"]:
                add(shard_of(key, count), order, venue, "errors", entry)
        for row in venue["permissions"]:
            for key in [row["label"], *row["names"]]:
                add(shard_of(key, count), order, venue, "permissions", row)
    files = {f"{FOLDER}/index.json": json.dumps({"shards": count})}
    for number, shard in enumerate(shards):
        body = {"venues": [shard[order] for order in sorted(shard)]}
        files[f"{FOLDER}/{number}.json"] = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return files
