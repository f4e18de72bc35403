"""The pages' error lookup (docs/assets/error-lookup.js), cut into shards so that a search loads only
the few that can hold what the reader typed, at 1,000 venues as at 10.

Every error string, permission label and other name is a key, filed under a prefix of itself in
lower case: its first three characters (no key is shorter), lengthened four characters at a time
(or past what all of them begin with) while the group of keys under that prefix would be larger than
GROUP_BYTES (a message many venues
share, such as "Invalid API-key, ...", would otherwise fill one shard with every "Inv..." message).
The manifest lists each lengthened prefix with the prefixes of its keys one step longer, so the
script finds a key's shard from the key, and every message a query begins with from the query. A
shard is a hash of the prefix. A troubleshooting entry or checklist row goes whole into the shard
of each of its keys.
"""

from __future__ import annotations

import json
import math
import os
from typing import Any

FOLDER = "assets/error-lookup"
# About this many bytes per shard: the shard count grows with the site, a shard's size does not.
SHARD_BYTES = 4096
# A group of keys under one prefix larger than this is split by a prefix STEP characters longer.
GROUP_BYTES = 16384
PREFIX = 3
STEP = 4
# A lengthened prefix: the length of the next prefixes, and those of its keys.
Split = dict[str, tuple[int, list[str]]]


def shard_of(prefix: str, count: int) -> int:
    """FNV-1a over the code points of a key's prefix (prefix_of); error-lookup.js computes the same."""
    value = 0x811C9DC5
    for char in prefix:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value % count


def prefix_of(key: str, split: Split) -> str:
    """The prefix a key is filed under: its first three characters in lower case, lengthened as the
    manifest splits them while the key is longer."""
    key = key.lower()
    prefix = key[:PREFIX]
    while prefix in split and len(key) > len(prefix):
        prefix = key[: split[prefix][0]]
    return prefix


def plan_split(sizes: dict[str, int]) -> Split:
    """Which prefixes to lengthen, from each key's bytes (lower case) in the shards."""
    split: Split = {}

    def visit(prefix: str, keys: list[str]) -> None:
        longer = [k for k in keys if len(k) > len(prefix)]
        # One message however many venues share it stays whole: splitting it divides nothing.
        if sum(sizes[k] for k in keys) <= GROUP_BYTES or len(set(longer)) < 2:
            return
        # At least STEP characters longer, and past what every key of the group begins with.
        length = max(len(prefix) + STEP, len(os.path.commonprefix(longer)) + 1)
        groups: dict[str, list[str]] = {}
        for key in longer:
            groups.setdefault(key[:length], []).append(key)
        split[prefix] = (length, sorted(groups))
        for child, members in groups.items():
            visit(child, members)

    top: dict[str, list[str]] = {}
    for key in sizes:
        top.setdefault(key[:PREFIX], []).append(key)
    for prefix, keys in top.items():
        visit(prefix, keys)
    return split


def lookup_files(venues: list[dict[str, Any]]) -> dict[str, str]:
    """The manifest (the shard count) and every shard, by their path in the site. Each venue record
    carries `order`, its place in the help index, and `rank`, the place of the venue's first product
    there (Binance's products rank together), which the script orders results by."""

    rank: dict[str, int] = {}
    for order, venue in enumerate(venues):
        rank.setdefault(venue["venue"], order)

    def add(shard: int, order: int, venue: dict[str, Any], field: str, item: dict[str, Any]) -> None:
        header = {**venue, "order": order, "rank": rank[venue["venue"]], "errors": [], "permissions": []}
        record = shards[shard].setdefault(order, header)
        if item not in record[field]:
            record[field].append(item)

    def keyed(venue: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
        keys = [(key, "errors", entry) for entry in venue["errors"] for key in entry["errors"]]
        return keys + [
            (key, "permissions", row) for row in venue["permissions"] for key in [row["label"], *row["names"]]
        ]

    sizes: dict[str, int] = {}
    for venue in venues:
        header = len(json.dumps({k: v for k, v in venue.items() if k not in ("errors", "permissions")}))
        for key, _, item in keyed(venue):
            sizes[key.lower()] = sizes.get(key.lower(), 0) + header + len(json.dumps(item, ensure_ascii=False))
    split = plan_split(sizes)
    # A venue's record is repeated in the shard of each of its keys: the count is of all of them.
    count = max(1, math.ceil(sum(sizes.values()) / SHARD_BYTES))
    shards: list[dict[int, dict[str, Any]]] = [{} for _ in range(count)]
    for order, venue in enumerate(venues):
        for key, field, item in keyed(venue):
            add(shard_of(prefix_of(key, split), count), order, venue, field, item)
    manifest = {"shards": count, "split": {p: [n, children] for p, (n, children) in sorted(split.items())}}
    files = {f"{FOLDER}/index.json": json.dumps(manifest, ensure_ascii=False, separators=(",", ":"))}
    for number, shard in enumerate(shards):
        body = {"venues": [shard[order] for order in sorted(shard)]}
        files[f"{FOLDER}/{number}.json"] = json.dumps(body, ensure_ascii=False, separators=(",", ":"))
    return files
