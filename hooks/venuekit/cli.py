"""The maintainers' commands behind `./dev validate`, `new-venue`, `stale`, `links` and `schema`."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .links import REPAIR, read_ledger, resolve, write_ledger
from .model import Venue
from .site import load_platform, load_site, read_config, read_extra, site_links, stale_guides, third_party_labels
from .validate import VenueErrors, load_venues, venue_files

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = ROOT / "schema" / "venue.schema.json"
LEDGER = ROOT / "published-links.txt"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./dev", description="Maintain the venue files.")
    tasks = parser.add_subparsers(dest="task", required=True)
    check = tasks.add_parser("validate", help="check every venue file")
    check.add_argument("files", nargs="*", type=Path, help="report only these files' problems (all are read)")
    new = tasks.add_parser("new-venue", help="write a venue file with every field to fill in")
    new.add_argument("id", help="the venue's CCXT id, e.g. okx")
    new.add_argument("--product", required=True, choices=[p.value for p in Venue.model_fields["product"].annotation])
    new.add_argument("--name", help="the venue's display name (default: the id, capitalised)")
    stale = tasks.add_parser("stale", help="list guides not verified within the configured age")
    stale.add_argument("--days", type=int, help="the age limit (default: extra.platform.stale_after_days)")
    links = tasks.add_parser("links", help="check the published-links ledger against a fresh build")
    links.add_argument("--update", action="store_true", help="add the links the current data publishes")
    schema = tasks.add_parser("schema", help="write schema/venue.schema.json from the model")
    schema.add_argument("--check", action="store_true", help="fail if the committed schema is out of date")
    args = parser.parse_args(argv)
    match args.task:
        case "validate":
            return validate(args.files)
        case "new-venue":
            from .scaffold import write_venue

            return write_venue(ROOT / "exchanges", args.id, args.product, args.name)
        case "stale":
            return report_stale(args.days)
        case "links":
            return update_ledger() if args.update else check_ledger()
        case "schema":
            return write_schema(args.check)
    return 2


def validate(files: list[Path]) -> int:
    started = time.perf_counter()
    # Paths are the maintainer's, relative to where they ran `./dev` (which runs us from the project).
    here = Path(os.environ.get("DEV_CWD") or Path.cwd())
    wanted: set[str] = set()
    for given in files:
        path = (here / given).resolve()
        if not path.is_file():
            print(f"{given}: no such file (looked for {path})", file=sys.stderr)
            return 2
        if path.parent != (ROOT / "exchanges").resolve() or path.suffix != ".yml":
            print(f"{given}: not a venue file; venue files are exchanges/*.yml", file=sys.stderr)
            return 2
        wanted.add(path.relative_to(ROOT.resolve()).as_posix())
    count = len(files) or len(venue_files(ROOT / "exchanges"))
    try:
        platform = load_platform(read_extra(ROOT / "mkdocs.yml"), "mkdocs.yml")
        load_venues(ROOT / "exchanges", ROOT, platform.supports)
    except VenueErrors as err:
        problems = [p for p in err.problems if not wanted or p.file in wanted]
        if problems:
            print(VenueErrors(problems).report(), file=sys.stderr)
            return 1
    took = (time.perf_counter() - started) * 1000
    print(f"{count} venue files OK ({took:.0f} ms)")
    return 0


def report_stale(days: int | None) -> int:
    try:
        site = load_site(ROOT / "mkdocs.yml", ROOT / "docs", read_extra(ROOT / "mkdocs.yml"))
    except VenueErrors as err:
        print(err.report(), file=sys.stderr)
        return 1
    if days is not None:
        site.platform = site.platform.model_copy(update={"stale_after_days": days})
    stale = stale_guides(site)
    limit = site.platform.stale_after_days
    if not stale:
        print(f"All {len(site.guides)} guides were verified within {limit} days.")
    else:
        print(f"{len(stale)} of {len(site.guides)} guides were last verified more than {limit} days ago:")
        for guide, age in stale:
            print(f"  {guide.source_file}: verified {guide.venue.verified.isoformat()}, {age} days ago")
    unchecked = [(guide, third_party_labels(guide.venue)) for guide in site.guides]
    unchecked = [(guide, found) for guide, found in unchecked if found]
    if not unchecked:
        print("Every form label cites at least one of the venue's own pages.")
        return 0
    count = sum(len(found) for _, found in unchecked)
    print(f"\n{count} form labels in {len(unchecked)} guides rest only on third-party sources;")
    print("check them on the venue's own pages and cite those:")
    for guide, found in unchecked:
        for field, label, refs in found:
            print(f"  {guide.source_file}: {field} '{label}' cites only {', '.join(refs)}")
    return 0


def update_ledger() -> int:
    try:
        site = load_site(ROOT / "mkdocs.yml", ROOT / "docs", read_extra(ROOT / "mkdocs.yml"))
    except VenueErrors as err:
        print(err.report(), file=sys.stderr)
        return 1
    known = read_ledger(LEDGER)
    new = sorted(set(site_links(site, _site_url())) - set(known))
    write_ledger(LEDGER, known + new)
    print(f"{LEDGER.name}: {len(new)} new links added, {len(known) + len(new)} in all")
    return 0


def check_ledger() -> int:
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet", "-d", out]
        if subprocess.run(command, cwd=ROOT).returncode:
            return 1
        broken = [(link, why) for link in read_ledger(LEDGER) if (why := resolve(Path(out), link))]
    for link, why in broken:
        print(f"{LEDGER.name}: '{link}' no longer resolves: {why}. {REPAIR}", file=sys.stderr)
    if broken:
        return 1
    print(f"all {len(read_ledger(LEDGER))} published links resolve")
    return 0


def _site_url() -> str:
    return str(read_config(ROOT / "mkdocs.yml").get("site_url") or "")


def venue_schema() -> dict:
    schema = Venue.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "Venue file"
    return schema


def write_schema(check: bool) -> int:
    text = json.dumps(venue_schema(), indent=2, ensure_ascii=False) + "\n"
    if check:
        if not SCHEMA.exists() or SCHEMA.read_text(encoding="utf-8") != text:
            print(f"{SCHEMA.relative_to(ROOT)} is out of date: run ./dev schema and commit it", file=sys.stderr)
            return 1
        print(f"{SCHEMA.relative_to(ROOT)} matches the model")
        return 0
    SCHEMA.parent.mkdir(exist_ok=True)
    SCHEMA.write_text(text, encoding="utf-8")
    print(f"wrote {SCHEMA.relative_to(ROOT)}")
    return 0
