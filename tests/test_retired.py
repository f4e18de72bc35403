"""A venue that closes: its guide becomes a notice, and every link it ever published lands on that notice."""

from __future__ import annotations

import json

import pytest

from conftest import ROOT, Project, copy_project, section, visible_text
from venuekit.links import read_ledger, resolve
from venuekit.validate import VenueErrors, load_venues

FUTURES = "exchanges/kraken-futures.yml"
RETIRED = """retired:
  on: 2026-11-30
  what: Kraken closed its futures platform to new and existing clients.
  successor: kraken-spot
  where: Open positions were settled, and balances moved to the clients' Kraken accounts.
  sources: [kraken-futures-keys]
"""


def retire(project: Project, text: str = RETIRED) -> None:
    project.edit(FUTURES, "\nsummary: >-", f"\n{text}summary: >-")


@pytest.fixture(scope="module")
def closed(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The real site, with Kraken Futures marked retired (a made-up closure, for the test only)."""
    project = copy_project(tmp_path_factory.mktemp("retired"))
    retire(project)
    result = project.build()
    assert result.returncode == 0, result.stderr
    return project


def test_a_retired_guide_shows_the_notice_and_no_steps(closed: Project) -> None:
    text = visible_text(closed.page("exchanges/kraken-futures"))
    assert "Kraken Futures: retired" in text
    assert "Kraken Futures closed on 30 Nov 2026" in text
    assert "Kraken closed its futures platform to new and existing clients." in text
    assert "Its users moved on to Kraken Spot: follow the Kraken Spot guide" in text
    assert "balances moved to the clients' Kraken accounts" in text
    # No step, checklist or address block is left for a venue that no longer issues keys.
    for gone in ("Create the key", "Permission checklist", "Check you are done", "203.0.113.24"):
        assert gone not in text, gone


def test_every_published_link_of_a_retired_guide_lands_on_its_notice(closed: Project) -> None:
    published = [
        link
        for link in read_ledger(ROOT / "published-links.txt")
        if "/kraken-futures/" in link or link.startswith(("/go/krakenfutures/", "/go/kraken_futures/"))
    ]
    assert any("#error-" in link for link in published) and any("/go/krakenfutures/" in link for link in published)
    broken = [f"{link}: {why}" for link in published if (why := resolve(closed.site, link))]
    assert not broken, "\n".join(broken)
    page = closed.page("exchanges/kraken-futures")
    notice = page.index("retired-notice")
    anchors = page.index('class="retired-anchors"')
    assert anchors < notice, "the anchors sit just above the notice, so a link scrolls to it"


def test_the_index_lists_a_retired_venue_apart_and_the_comparisons_leave_it_out(closed: Project) -> None:
    index = closed.page("exchanges")
    table = index[index.index('<table id="venue-index"') : index.index("</table>")]
    assert "kraken-futures/" not in table
    retired = section(index, "retired")
    assert (
        '<a href="kraken-futures/">Kraken Futures</a>: closed on 30 Nov 2026. '
        'Its users moved to <a href="kraken-spot/">Kraken Spot</a>.'
    ) in retired
    for page in ("compare/permissions", "compare/key-lifecycle"):
        assert "kraken-futures" not in closed.page(page), page
    assert "Retired on 30 Nov 2026." in visible_text(closed.page("exchanges/g-l"))


def test_the_help_index_marks_a_retired_venue(closed: Project) -> None:
    index = json.loads((closed.site / "help" / "index.json").read_text(encoding="utf-8"))
    futures = next(v for v in index["venues"] if v["slug"] == "kraken-futures")
    assert futures["retired"] == {
        "on": "2026-11-30",
        "what": "Kraken closed its futures platform to new and existing clients.",
        "successor": "exchanges/kraken-spot/",
    }
    assert all(v["retired"] is None for v in index["venues"] if v["slug"] != "kraken-futures")


def test_a_retired_venue_names_a_successor_that_exists(project: Project) -> None:
    retire(project, RETIRED.replace("successor: kraken-spot", "successor: kraken-spott"))
    with pytest.raises(VenueErrors) as caught:
        load_venues(project.root / "exchanges", project.root)
    assert (
        "retired.successor: no other venue file has slug 'kraken-spott' (did you mean 'kraken-spot'?)"
        in caught.value.report()
    )


def test_a_retired_venue_may_keep_only_ids_ccxt_dropped(project: Project) -> None:
    # A closed venue's CCXT id often disappears from CCXT; its /go/ links keep working from legacy_ccxt.
    retire(project)
    project.edit(FUTURES, "ccxt: [krakenfutures]", "ccxt: []\nlegacy_ccxt: [krakenfutures1]")
    load_venues(project.root / "exchanges", project.root)


def test_a_live_venue_needs_a_current_ccxt_id(project: Project) -> None:
    project.edit(FUTURES, "ccxt: [krakenfutures]", "ccxt: []\nlegacy_ccxt: [krakenfutures1]")
    with pytest.raises(VenueErrors) as caught:
        load_venues(project.root / "exchanges", project.root)
    assert "ccxt: give the venue's CCXT id; only a retired venue whose ids CCXT dropped" in caught.value.report()
