"""`./dev serve` rebuilds a guide when its venue file or a template is saved, and survives a broken file.

It builds in MkDocs' dirty mode, rewriting only the pages whose inputs changed, so these tests also
check that every page that depends on a saved file is fresh and no removed page is still served."""

from __future__ import annotations

import contextlib
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator

import pytest

from conftest import BUILD_ENV, Project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        try:
            page = _get(url)
            if text in page:
                return page
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


@pytest.fixture
def served(project: Project) -> Iterator[tuple[Project, str]]:
    with _serving(project) as base:
        yield project, base


@contextlib.contextmanager
def _serving(project: Project) -> Iterator[str]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "--dirty",  # as ./dev serve runs it: a save rewrites only the pages whose inputs changed
        "-a",
        f"127.0.0.1:{port}",
        "-f",
        str(project.root / "mkdocs.yml"),
    ]
    with (project.root / "serve.log").open("w") as log:
        server = subprocess.Popen(command, cwd=project.root, env=BUILD_ENV, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield f"http://127.0.0.1:{port}/"
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_saving_a_venue_file_rebuilds_its_guide(served: tuple[Project, str]) -> None:
    project, base = served
    url = base + "exchanges/kraken-spot/"
    _wait_for(url, "Kraken Futures needs a key of its own")
    project.edit("exchanges/kraken-spot.yml", "Kraken Futures needs a key of its own.", "Edited while serving.")
    _wait_for(url, "Edited while serving.")


def test_saving_a_template_rebuilds_the_guides(served: tuple[Project, str]) -> None:
    project, base = served
    url = base + "exchanges/kraken-futures/"
    _wait_for(url, "Where keys are made")
    # An included template counts too.
    project.edit("templates/guide_parts.md.j2", "### Where keys are made", "### Where the keys live")
    _wait_for(url, "Where the keys live")


def test_a_broken_file_under_serve_shows_its_error_in_the_browser_until_it_is_fixed(
    served: tuple[Project, str],
) -> None:
    project, base = served
    url = base + "exchanges/kraken-spot/"
    _wait_for(url, "Kraken Futures needs a key of its own")
    project.edit("exchanges/kraken-spot.yml", "venue: Kraken\n", "venue: [Kraken\n")
    # The broken venue's own page answers with the error, where its guide was: the parser stops on
    # the line after the open bracket.
    lines = project.venue("kraken-spot").read_text(encoding="utf-8").splitlines()
    error = f"exchanges/kraken-spot.yml:{lines.index('slug: kraken-spot') + 1}: YAML syntax error"
    page = _wait_for(url, error, seconds=30)
    assert "Kraken Futures needs a key of its own" not in page
    # Every other page still answers, with a banner naming the problem.
    other = _wait_for(base + "exchanges/kraken-futures/", "venue-problems", seconds=10)
    assert error in other
    assert "Where keys are made" in other
    assert error in (project.root / "serve.log").read_text()

    project.edit("exchanges/kraken-spot.yml", "venue: [Kraken\n", "venue: Kraken\n")
    project.edit("exchanges/kraken-spot.yml", "Kraken Futures needs a key of its own.", "Fixed again.")
    _wait_for(url, "Fixed again.")
    assert "venue-problems" not in _get(base + "exchanges/kraken-futures/")


def test_a_safety_rule_break_under_serve_names_the_file_line_and_field(served: tuple[Project, str]) -> None:
    project, base = served
    url = base + "exchanges/kraken-spot/"
    _wait_for(url, "Kraken Futures needs a key of its own")
    text = (project.root / "exchanges/kraken-spot.yml").read_text(encoding="utf-8")
    rule = "capability: withdraw\n    state: forbidden"
    line = text.count("\n", 0, text.index(rule)) + 2
    project.edit("exchanges/kraken-spot.yml", rule, rule.replace("forbidden", "required"))
    page = _wait_for(url, f"exchanges/kraken-spot.yml:{line}: permissions[", seconds=30)
    assert "can move funds out (withdraw) and must be `forbidden`, not `required`" in page
    # The guide that would have said "turn on" for a withdrawal is not served, not even under preview.
    assert "Turn on" not in page
    project.edit("exchanges/kraken-spot.yml", rule.replace("forbidden", "required"), rule)
    _wait_for(url, "Kraken Futures needs a key of its own")


def test_an_edit_to_the_generators_code_takes_effect_on_the_next_rebuild(served: tuple[Project, str]) -> None:
    # Python keeps imported modules; serve must not keep running the code from before the edit.
    project, base = served
    url = base + "exchanges/kraken-spot/"
    _wait_for(url, "Kraken Futures needs a key of its own")
    project.edit("hooks/venuekit/render.py", '"recommended": "Recommended"', '"recommended": "Strongly advised"')
    _wait_for(url, "Strongly advised")


def test_the_served_search_index_is_what_a_clean_build_makes(served: tuple[Project, str]) -> None:
    # After edits, serve's Pagefind index is the one a clean build of the same files makes: its entry
    # file names the index by a hash of every page's words, and counts the pages.
    project, base = served
    url = base + "exchanges/kraken-spot/"
    _wait_for(url, "Kraken Futures needs a key of its own")
    for marker in ("First edit.", "Second edit."):
        project.edit("exchanges/kraken-spot.yml", "Kraken Futures needs a key of its own.", marker)
        _wait_for(url, marker)
        project.edit("exchanges/kraken-spot.yml", marker, "Kraken Futures needs a key of its own.")
        _wait_for(url, "Kraken Futures needs a key of its own")
    assert project.build().returncode == 0
    built_entry = (project.site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8")
    # A preview indexes after it serves the rebuilt pages: the index follows within seconds.
    _wait_for(base + "pagefind/pagefind-entry.json", built_entry, seconds=30)


def _served_as_built(html: str, base: str) -> str:
    # What serve adds to a page: its own address instead of site_url, and the live-reload script.
    html = re.sub(r"<script>\s*var livereload = function.*?</script>", "", html, flags=re.S)
    return html.replace(base, "https://keys.example.com/")


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as err:
        return err.code


def _wait_until_gone(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while _status(url) != 404:
        assert time.monotonic() < deadline, f"{url} is still served {seconds} s after what made it was removed"
        time.sleep(0.2)


def test_after_every_kind_of_save_each_served_page_is_what_a_clean_build_makes(served: tuple[Project, str]) -> None:
    project, base = served
    spot = base + "exchanges/kraken-spot/"
    _wait_for(spot, "Kraken Futures needs a key of its own")
    # A new verification date: the guide and the home page's table show it.
    project.edit("exchanges/bitstamp.yml", "verified: 2026-12-04", "verified: 2026-12-01")
    _wait_for(base, "1 Dec 2026")
    # A rename: the letter-range page, the venue index, the comparisons, the home page's table, the
    # help index and Kraken Futures' link to its sibling all show the name.
    project.edit("exchanges/kraken-spot.yml", "name: Kraken Spot", "name: Kraken Spot Renamed")
    _wait_for(base + "exchanges/g-l/", "Kraken Spot Renamed")
    # A removed error entry: its anchor's /go/ pages go with it.
    text = project.venue("kraken-spot").read_text(encoding="utf-8")
    start = text.index('  - errors: ["EAPI:Invalid signature"]')
    end = text.index('  - errors: ["EGeneral:Permission denied"]')
    project.venue("kraken-spot").write_text(text[:start] + text[end:], encoding="utf-8")
    _wait_until_gone(base + "go/kraken/error-eapi-invalid-signature/")
    # A broken save and its fix.
    project.edit("exchanges/kraken-spot.yml", "venue: Kraken\n", "venue: [Kraken\n")
    _wait_for(base + "exchanges/kraken-futures/", "venue-problems", seconds=30)
    project.edit("exchanges/kraken-spot.yml", "venue: [Kraken\n", "venue: Kraken\n")
    # A template that every guide includes.
    project.edit("templates/guide_parts.md.j2", "### Where keys are made", "### Where the keys live")
    _wait_for(base + "exchanges/okx/", "Where the keys live")
    # A venue file deleted: its page and its /go/ pages must not outlive it; then it comes back.
    bitvavo = project.venue("bitvavo").read_text(encoding="utf-8")
    project.venue("bitvavo").unlink()
    for gone in ("exchanges/bitvavo/", "go/bitvavo/", "go/bitvavo/permissions/"):
        _wait_until_gone(base + gone)
    assert "Bitvavo" not in _get(base + "exchanges/a-f/")
    project.venue("bitvavo").write_text(bitvavo, encoding="utf-8")
    _wait_for(base + "exchanges/a-f/", "Bitvavo")

    assert project.build().returncode == 0
    built = sorted(p for p in project.site.rglob("*") if p.is_file() and p.suffix in {".html", ".json", ".map"})
    assert len(built) > 500
    stale = []
    for path in built:
        relative = path.relative_to(project.site).as_posix()
        # The search index follows the pages by a moment; the test above checks it.
        if relative == "sitemap.xml" or relative.startswith("pagefind/"):
            continue
        url = base + relative.removesuffix("index.html")
        if _served_as_built(_get(url), base) != path.read_text(encoding="utf-8"):
            stale.append(relative)
    assert not stale, f"{len(stale)} served files differ from a clean build: {stale[:10]}"
    assert _status(base + "go/kraken/error-eapi-invalid-signature/") == 404, "a removed entry's /go/ page came back"


def test_a_page_title_that_changes_reaches_every_page_s_navigation(project: Project) -> None:
    # Without the configured nav, MkDocs takes each page's title from the page itself, and every
    # page lists every title: a page whose own Markdown did not change is rendered again too.
    config = (project.root / "mkdocs.yml").read_text(encoding="utf-8")
    (project.root / "mkdocs.yml").write_text(re.sub(r"^nav:\n(?:  .*\n)+", "", config, flags=re.M), "utf-8")
    with _serving(project) as base:
        _wait_for(base + "app-links/", "Add or fix a venue")
        project.edit("docs/contributing.md", "title: Add or fix a venue", "title: Add or correct a venue")
        page = _wait_for(base + "app-links/", "Add or correct a venue")
        assert "Add or fix a venue" not in page
