"""Troubleshooting coverage: of the errors CCXT raises as a key problem for each venue, how many
have an entry on its guide.

For each venue file, "relevant" is every string or code that CCXT's error map for the venue's ids
(the pinned release) sends to AuthenticationError, PermissionDenied, AccountSuspended or
InvalidNonce (or a subclass), counted once; "covered" is those a troubleshooting entry lists
(a broad CCXT key counts as covered when an entry's error contains it). Errors of the venue's own
code list that CCXT does not map are not counted here: the guide's sources are the check for them.

Run with `./dev bench errors` (or `python bench/errors.py [--exchanges DIR]` with hooks/ on the
path); it prints a table, writes it to bench/errors.md, and with `--missing` lists what is uncovered.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

from venuekit.ccxtmap import error_map  # noqa: E402
from venuekit.validate import read_venues  # noqa: E402

RESULTS = ROOT / "bench" / "errors.md"


def coverage(directory: Path) -> list[tuple[str, int, int, list[str]]]:
    rows = []
    for venue in read_venues(directory, directory.parent).venues:
        v = venue.venue
        errors = [e for entry in v.troubleshooting for e in entry.errors]
        relevant: dict[str, tuple[str, bool]] = {}
        for ident in v.ccxt:
            mapping = error_map(ident, v.product.value)
            for key, name, broad in mapping.key_errors():
                relevant.setdefault(key, (name, broad))
        missing = [
            f"{key} ({name})"
            for key, (name, broad) in relevant.items()
            if not (any(key in e for e in errors) if broad else key in errors)
        ]
        rows.append((v.slug, len(relevant) - len(missing), len(relevant), missing))
    return rows


def table(rows: list[tuple[str, int, int, list[str]]]) -> str:
    out = ["| Guide | Covered | Relevant | Coverage |", "|---|--:|--:|--:|"]
    for slug, covered, relevant, _ in rows:
        share = f"{covered / relevant:.0%}" if relevant else "n/a"
        out.append(f"| {slug} | {covered} | {relevant} | {share} |")
    covered = sum(r[1] for r in rows)
    relevant = sum(r[2] for r in rows)
    out.append(f"| **all** | {covered} | {relevant} | {covered / relevant:.0%} |")
    return "\n".join(out)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--exchanges", type=Path, default=ROOT / "exchanges")
    parser.add_argument("--missing", action="store_true", help="list the uncovered errors of each guide")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/errors.md alone")
    args = parser.parse_args()
    rows = coverage(args.exchanges.resolve())
    text = table(rows)
    print(text)
    if args.missing:
        for slug, _, _, missing in rows:
            print(f"\n{slug}: {', '.join(missing) or 'none'}")
    if not args.no_write:
        RESULTS.write_text(
            "# Troubleshooting coverage of CCXT's key errors\n\n"
            "Written by `./dev bench errors`; see bench/errors.py for what is counted.\n\n" + text + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
