"""Troubleshooting coverage: of the errors CCXT raises as a key problem for each venue, how many
have an entry on its guide.

For each venue file, "relevant" is every string or code that CCXT's error map for the venue's ids
(the pinned release) sends to AuthenticationError, PermissionDenied, AccountSuspended or
InvalidNonce (or a subclass), counted once; "covered" is those a troubleshooting entry lists
(a broad CCXT key counts as covered when an entry's error contains it); "left out" is those that
bench/errors-left-out.yml lists with the reason a reader cannot cause or fix them (margin-only,
sub-account endpoints, withdrawals, not in the venue's own documentation, ...). Coverage is
covered / (relevant - left out). Errors of the venue's own code list that CCXT does not map are
not counted here: the guide's sources are the check for them.

Run with `./dev bench errors` (or `python bench/errors.py [--exchanges DIR]` with hooks/ on the
path); it prints a table, writes it to bench/errors.md, and with `--missing` lists what is uncovered.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "hooks"))

import yaml  # noqa: E402

from venuekit.ccxtmap import error_map  # noqa: E402
from venuekit.validate import read_venues  # noqa: E402

RESULTS = ROOT / "bench" / "errors.md"
LEFT_OUT = ROOT / "bench" / "errors-left-out.yml"


def left_out() -> dict[str, dict[str, str]]:
    return yaml.safe_load(LEFT_OUT.read_text(encoding="utf-8")) or {} if LEFT_OUT.exists() else {}


def coverage(directory: Path) -> list[tuple[str, int, int, int, list[str]]]:
    skipped = left_out()
    rows = []
    for venue in read_venues(directory, directory.parent).venues:
        v = venue.venue
        errors = [e for entry in v.troubleshooting for e in entry.errors]
        relevant: dict[str, tuple[str, bool]] = {}
        for ident in v.ccxt:
            mapping = error_map(ident, v.product.value)
            for key, name, broad in mapping.key_errors():
                relevant.setdefault(key, (name, broad))
        uncovered = [
            (key, name)
            for key, (name, broad) in relevant.items()
            if not (any(key in e for e in errors) if broad else key in errors)
        ]
        reasons = skipped.get(v.slug, {})
        missing = [f"{key} ({name})" for key, name in uncovered if str(key) not in reasons]
        covered = len(relevant) - len(uncovered)
        rows.append((v.slug, covered, len(uncovered) - len(missing), len(relevant), missing))
    return rows


def table(rows: list[tuple[str, int, int, int, list[str]]]) -> str:
    out = ["| Guide | Covered | Left out, with reason | CCXT key errors | Coverage |", "|---|--:|--:|--:|--:|"]
    for slug, covered, skipped, relevant, _ in rows:
        out.append(f"| {slug} | {covered} | {skipped} | {relevant} | {_share(covered, relevant - skipped)} |")
    covered, skipped, relevant = (sum(r[i] for r in rows) for i in (1, 2, 3))
    out.append(f"| **all** | {covered} | {skipped} | {relevant} | {_share(covered, relevant - skipped)} |")
    return "\n".join(out)


def _share(part: int, whole: int) -> str:
    return f"{part / whole:.0%}" if whole else "n/a"


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
        for slug, *_, missing in rows:
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
