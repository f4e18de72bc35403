"""Links the app depends on: the help index, /go/ entry points, the ledger, and the lookup examples."""

from __future__ import annotations

import html as html_lib
import json
import posixpath
import re
import shutil
import subprocess
import sys

import jsonschema
import pytest

from conftest import ROOT, Project
from venuekit.links import REPAIR, read_ledger, resolve
from venuekit.lookup import SHARD_BYTES, lookup_files, prefix_of, shard_of
from venuekit.site import load_site, read_config, site_links

LEDGER = ROOT / "published-links.txt"
sys.path.insert(0, str(ROOT / "docs" / "examples"))
from help_lookup import help_url  # noqa: E402


@pytest.fixture(scope="module")
def index(built: Project) -> dict:
    return json.loads((built.site / "help" / "index.json").read_text(encoding="utf-8"))


def index_links(index: dict) -> list[str]:
    links = []
    for venue in index["venues"]:
        links += [venue["path"], *venue["sections"].values(), *(e["path"] for e in venue["errors"])]
        for go in venue["go"].values():
            links += [go, *(f"{go}{sid}/" for sid in venue["sections"]), *(f"{go}{e['id']}/" for e in venue["errors"])]
    return links


def test_help_index_follows_its_published_schema(built: Project, index: dict) -> None:
    schema = json.loads((built.site / "help" / "index.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(index, schema)
    assert index["format_version"] == 3
    assert index["site_url"] == read_config(ROOT / "mkdocs.yml")["site_url"]


def test_every_link_in_the_help_index_resolves(built: Project, index: dict) -> None:
    broken = [f"{link}: {why}" for link in index_links(index) if (why := resolve(built.site, link))]
    assert not broken, "help index links that do not resolve:\n" + "\n".join(broken)


def test_go_entry_points_lead_to_the_guide_section(built: Project, index: dict) -> None:
    for venue in index["venues"]:
        for ident in venue["ccxt"]:
            page = (built.site / "go" / ident / "permissions" / "index.html").read_text(encoding="utf-8")
            assert f'url=../../../exchanges/{venue["slug"]}/#permissions"' in page, f"go/{ident}/permissions/"


def test_every_error_is_found_by_exact_lookup(index: dict) -> None:
    for ident, errors in index["errors"].items():
        for error, path in errors.items():
            assert index["site_url"] + path == help_url(index, ident, error)
            for wrapped in (
                json.dumps({"error": [error], "result": {}}),
                f"{ident} {error} (as the platform logged it)",
            ):
                assert index["site_url"] + path == help_url(index, ident, wrapped), f"{ident}: {wrapped}"


def test_kraken_invalid_key_leads_to_its_entry(index: dict) -> None:
    url = help_url(index, "kraken", '{"error":["EAPI:Invalid key"]}')
    assert url == "https://keys.example.com/exchanges/kraken-spot/#error-eapi-invalid-key"
    assert (
        help_url(index, "kraken", "something new") == "https://keys.example.com/exchanges/kraken-spot/#troubleshooting"
    )
    assert help_url(index, "no-such-exchange", "EAPI:Invalid key") is None


@pytest.mark.skipif(shutil.which("node") is None, reason="node is installed by ./dev test")
def test_javascript_example_agrees_with_the_python_one(built: Project, index: dict) -> None:
    cases = [(ident, error) for ident, errors in index["errors"].items() for error in errors]
    cases += [(ident, json.dumps({"error": [error]})) for ident, error in cases]
    cases += [("kraken", "unknown message"), ("nope", "x")]
    script = (
        f"const {{ helpUrl }} = require({json.dumps(str(ROOT / 'docs' / 'examples' / 'help_lookup.js'))});"
        f"const index = require({json.dumps(str(built.site / 'help' / 'index.json'))});"
        f"console.log(JSON.stringify({json.dumps(cases)}.map(([id, m]) => helpUrl(index, id, m))));"
    )
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    assert json.loads(result.stdout) == [help_url(index, ident, message) for ident, message in cases]


def test_app_developer_page_shows_both_examples(built: Project) -> None:
    # Highlighted code is split into spans: drop the tags without adding spaces.
    code = html_lib.unescape(re.sub(r"<[^>]+>", "", built.page("app-links")))
    assert 'def help_url(index: dict, exchange_id: str, message: str = "") -> str | None:' in code
    assert 'function helpUrl(index, exchangeId, message = "") {' in code


def test_every_ledger_entry_resolves_in_a_fresh_build(built: Project) -> None:
    broken = [f"{link}: {why}" for link in read_ledger(LEDGER) if (why := resolve(built.site, link))]
    assert not broken, f"published links no longer resolve. {REPAIR}:\n" + "\n".join(broken)


def test_ledger_holds_every_link_the_site_publishes() -> None:
    site = load_site(ROOT / "mkdocs.yml", ROOT / "docs", read_config(ROOT / "mkdocs.yml")["extra"])
    missing = set(site_links(site, read_config(ROOT / "mkdocs.yml")["site_url"])) - set(read_ledger(LEDGER))
    assert not missing, f"run `./dev links --update` and commit published-links.txt; new links: {sorted(missing)[:10]}"


def test_a_renamed_venue_keeps_its_old_address(project: Project) -> None:
    project.edit("exchanges/kraken-spot.yml", "slug: kraken-spot\n", "slug: kraken-pro\nformer_slugs: [kraken-spot]\n")
    project.edit("exchanges/kraken-futures.yml", "  - slug: kraken-spot\n", "  - slug: kraken-pro\n")
    # The file is renamed with its slug, as `former_slugs` documents.
    project.venue("kraken-spot").rename(project.venue("kraken-pro"))
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert resolve(project.site, "/exchanges/kraken-spot/#permissions") is None
    old = (project.site / "exchanges" / "kraken-spot" / "index.html").read_text(encoding="utf-8")
    assert 'url=../kraken-pro/"' in old
    assert resolve(project.site, "/go/kraken/permissions/") is None


def test_a_removed_anchor_is_named_with_what_to_do(project: Project) -> None:
    text = project.venue("kraken-spot").read_text(encoding="utf-8")
    start = text.index('  - errors: ["EAPI:Invalid nonce"]')
    end = text.index("\nfaq:")
    project.venue("kraken-spot").write_text(text[:start] + text[end:], encoding="utf-8")
    assert project.build().returncode == 0
    why = resolve(project.site, "/exchanges/kraken-spot/#error-eapi-invalid-nonce")
    assert why == "/exchanges/kraken-spot/ has no element with id 'error-eapi-invalid-nonce'"


# The refresh pages mkdocs-redirects writes: <meta http-equiv="refresh" content="0; url=../../exchanges/...">.
REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')


def test_host_redirect_files_send_every_go_link_where_its_page_does(built: Project) -> None:
    # For hosts that answer with a real 301: the same map as the refresh pages, line for line.
    rules = [line.split() for line in (built.site / "_redirects").read_text(encoding="utf-8").splitlines()]
    nginx = [line.rstrip(";").split() for line in (built.site / "redirects.nginx.map").read_text().splitlines()]
    assert [rule[:2] for rule in rules] == nginx
    assert all(rule[2] == "301" for rule in rules)
    stubs = {
        "/" + p.parent.relative_to(built.site).as_posix() + "/"
        for p in built.site.rglob("index.html")
        if REFRESH.search(p.read_text(encoding="utf-8"))
    }
    assert {source for source, _, _ in rules} == stubs
    for source, target, _ in rules:
        page = (built.site / source.strip("/") / "index.html").read_text(encoding="utf-8")
        refresh, _, anchor = REFRESH.search(page).group(1).partition("#")
        landed = posixpath.normpath(posixpath.join(source, refresh)) + "/" + (f"#{anchor}" if anchor else "")
        assert landed == target, (source, refresh, target)
    assert ["/go/kraken/permissions/", "/exchanges/kraken-spot/#permissions", "301"] in rules


def test_with_host_redirects_no_forwarding_page_is_written_and_every_link_still_resolves(
    built: Project, project: Project
) -> None:
    project.edit("mkdocs.yml", "    stale_after_days: 180\n", "    stale_after_days: 180\n    redirects: host\n")
    assert project.build().returncode == 0
    pages = sorted(p.relative_to(project.site) for p in project.site.rglob("*.html"))
    assert not [p for p in pages if REFRESH.search((project.site / p).read_text(encoding="utf-8"))]
    # The default build writes a forwarding page per /go/ address and former slug; these are all gone.
    default = sorted(p.relative_to(built.site) for p in built.site.rglob("*.html"))
    rules = (project.site / "_redirects").read_text(encoding="utf-8").splitlines()
    assert len(default) - len(pages) == len(rules) > 20 * len(list((ROOT / "exchanges").glob("*.yml")))
    assert (project.site / "_redirects").read_text() == (built.site / "_redirects").read_text()
    # Every published link, /go/ ones included, resolves as a host that follows `_redirects` serves it.
    broken = [f"{link}: {why}" for link in read_ledger(LEDGER) if (why := resolve(project.site, link))]
    assert not broken, "\n".join(broken[:10])
    assert resolve(project.site, "/go/kraken/nothing-here/") == "no page at /go/kraken/nothing-here/"


def test_the_pages_lookup_reads_the_help_index_cut_to_what_it_uses(built: Project, index: dict) -> None:
    # The paste box and the search dialog load shards of assets/error-lookup/, not the whole help
    # index: together the shards hold every venue's errors and checklist rows, each in the shard its
    # keys hash to, and a shard stays small however many venues there are.
    folder = built.site / "assets" / "error-lookup"
    manifest = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    count, split = manifest["shards"], {p: tuple(v) for p, v in manifest["split"].items()}
    shards = [json.loads((folder / f"{n}.json").read_text(encoding="utf-8"))["venues"] for n in range(count)]
    assert len(list(folder.glob("*.json"))) == count + 1
    for order, full in enumerate(index["venues"]):
        parts = {n: v for n, shard in enumerate(shards) for v in shard if v["order"] == order}
        errors = [{"errors": e["errors"], "path": e["path"]} for e in full["errors"]]
        rows = [{"label": p["label"], "names": p["names"], "state": p["state"]} for p in full["permissions"]]
        for entry in errors:
            for key in entry["errors"]:
                assert entry in parts[shard_of(prefix_of(key, split), count)]["errors"], (full["slug"], key)
        for row in rows:
            for key in [row["label"], *row["names"]]:
                assert row in parts[shard_of(prefix_of(key, split), count)]["permissions"], (full["slug"], key)
        for part in parts.values():
            assert all(e in errors for e in part["errors"]) and all(r in rows for r in part["permissions"])
            assert part["sections"] == {"permissions": full["sections"]["permissions"]}
            assert (part["slug"], part["name"], part["venue"], part["ccxt"]) == (
                full["slug"],
                full["name"],
                full["venue"],
                full["ccxt"],
            )
    largest = max((folder / f"{n}.json").stat().st_size for n in range(count))
    assert largest < 4 * SHARD_BYTES


def test_a_message_many_venues_share_does_not_fill_one_shard_with_every_message_like_it() -> None:
    # A thousand venues: forty copies of each of twenty-five "Invalid ..." messages, and one message
    # a hundred venues share. Filed by their first three letters, all of them would be one shard.
    def venue(n: int, errors: list[str]) -> dict:
        slug = f"venue-{n:04d}"
        return {
            "slug": slug,
            "name": f"Venue {n}",
            "venue": f"Venue {n}",
            "ccxt": [f"venue{n}"],
            "sections": {"permissions": f"exchanges/{slug}/#permissions"},
            "errors": [{"errors": errors, "path": f"exchanges/{slug}/#error-1"}],
            "permissions": [],
        }

    venues = [venue(n, [f"Invalid thing number {n % 25}."]) for n in range(1000)]
    venues += [venue(1000 + n, ["Invalid API-key, IP, or permissions for action."]) for n in range(100)]
    files = lookup_files(venues)
    manifest = json.loads(files["assets/error-lookup/index.json"])
    split = {p: tuple(v) for p, v in manifest["split"].items()}
    assert prefix_of("Invalid thing number 7.", split) != prefix_of("Invalid thing number 8.", split)
    # The shard of one of the twenty-five messages holds its forty venues, not the other 960 (a shard
    # may also hold a few other groups whose prefixes hash to it).
    thing = f"assets/error-lookup/{shard_of(prefix_of('Invalid thing number 7.', split), manifest['shards'])}.json"
    held = [v["errors"][0]["errors"][0] for v in json.loads(files[thing])["venues"]]
    assert held.count("Invalid thing number 7.") == 40
    assert len([m for m in held if m.startswith("Invalid thing")]) <= 200
    # A message that a hundred venues share stays whole, in one shard, with little else.
    shared = prefix_of("Invalid API-key, IP, or permissions for action.", split)
    body = json.loads(files[f"assets/error-lookup/{shard_of(shared, manifest['shards'])}.json"])["venues"]
    assert sum("Invalid API-key" in v["errors"][0]["errors"][0] for v in body) == 100
    assert len(body) < 150
