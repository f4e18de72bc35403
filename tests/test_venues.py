"""Every venue: sourced facts, a verification date, the safety rule; and the pages that compare them."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, Project, element_ids, section, visible_text
from venuekit.model import FUND_MOVING, Capability, State
from venuekit.validate import load_venues

VENUES = [lv.venue for lv in load_venues(ROOT / "exchanges", ROOT)]
by_slug = pytest.mark.parametrize("venue", VENUES, ids=[v.slug for v in VENUES])
# Sections that state facts about the venue; each must cite where they come from.
FACT_SECTIONS = ("quick-facts", "related", "prerequisites", "where", "steps", "permissions", "settings")
FACT_SECTIONS += ("ip-whitelist", "credentials", "key-rules", "pitfalls", "troubleshooting", "faq")


@by_slug
def test_withdrawal_is_declared_and_every_fund_moving_permission_forbidden(venue) -> None:
    assert any(Capability.withdraw in p.capabilities for p in venue.permissions), f"{venue.slug} lists no withdrawal"
    # An agent wallet's powers are fixed by the venue: what it cannot do, or can only within a stated limit.
    allowed = {State.forbidden, State.cannot, State.limited} if venue.agent_wallet else {State.forbidden}
    for permission in venue.permissions:
        if permission.capabilities & FUND_MOVING:
            assert permission.state in allowed, f"{venue.slug}: {permission.label} must be forbidden"
            assert permission.state != State.limited or permission.limit, f"{venue.slug}: {permission.label}"
    if venue.agent_wallet:
        assert venue.never_share, f"{venue.slug}: an agent wallet names the main wallet's secrets in never_share"


@by_slug
def test_every_fact_bearing_section_cites_a_source_on_the_page(built: Project, venue) -> None:
    html = built.page(f"exchanges/{venue.slug}")
    ids = set(element_ids(html))
    for sid in FACT_SECTIONS:
        if sid not in ids:
            continue
        cited = re.findall(
            r'href="#(source-[^"]+)"[^>]*class="cite"|class="cite"[^>]*href="#(source-[^"]+)"', section(html, sid)
        )
        targets = {a or b for a, b in cited}
        assert targets, f"{venue.slug}#{sid} cites no source"
        assert targets <= ids, f"{venue.slug}#{sid} cites sources the page does not list: {targets - ids}"


@by_slug
def test_every_listed_source_is_cited_and_dated(built: Project, venue) -> None:
    html = built.page(f"exchanges/{venue.slug}")
    for source in venue.sources:
        assert f'href="#source-{source.id}"' in html, f"{venue.slug}: source {source.id} is listed but never cited"
    sources = visible_text(section(html, "sources"))
    assert f"last verified on {venue.verified.strftime('%-d %b %Y')}" in sources
    assert sources.count("checked ") == len(venue.sources)


def test_venue_index_lists_every_venue_with_its_filter_values(built: Project) -> None:
    html = built.page("exchanges")
    rows = re.findall(r"<tr (data-products=.*?)</tr>", html, re.DOTALL)
    assert len(rows) == len(VENUES)
    for venue in VENUES:
        row = next(r for r in rows if f'href="{venue.slug}/"' in r)
        passphrase = "yes" if venue.passphrase else "no"
        assert f'data-products="{venue.product.value}"' in row
        assert f'data-passphrase="{passphrase}"' in row
        assert f'data-ip="{venue.facts.ip_whitelist.value}"' in row
        expires = any(r.kind in {"expiry", "inactivity", "ip-whitelist", "password-change"} for r in venue.rules)
        assert f'data-expiry="{"yes" if expires else "no"}"' in row


def test_permission_matrix_names_each_venues_fund_moving_labels(built: Project) -> None:
    rows = re.findall(r"<tr>(.*?)</tr>", built.page("compare/permissions"), re.DOTALL)
    for venue in VENUES:
        row = next((visible_text(r) for r in rows if f'/{venue.slug}/#permissions"' in r), None)
        assert row, f"the permission matrix has no row for {venue.slug}"
        for permission in (p for p in venue.permissions if p.moves_funds):
            shown = {
                State.cannot: f"✗ {permission.label} (cannot: nothing to turn on)",
                State.limited: f"⚠ {permission.label} (limited: only {permission.limit}",
            }.get(permission.state, f"✗ {permission.label}")
            shown += f" (keep at {permission.setting})" if permission.setting else ""
            assert " ".join(shown.replace("`", "").split()) in row, f"{venue.slug}: {shown} missing from the matrix"
        trade = [p.label for p in venue.permissions if Capability.trade in p.capabilities and not p.moves_funds]
        assert all(label in row for label in trade), f"{venue.slug}: trade labels {trade} missing"


def test_key_lifecycle_table_shows_each_venues_rules(built: Project) -> None:
    rows = re.findall(r"<tr>(.*?)</tr>", built.page("compare/key-lifecycle"), re.DOTALL)
    for venue in VENUES:
        row = next((visible_text(r) for r in rows if f"/{venue.slug}/#" in r), None)
        assert row, f"the key-lifecycle table has no row for {venue.slug}"
        for rule in venue.rules:
            if rule.days:
                assert str(rule.days) in row, f"{venue.slug}: {rule.kind} rule of {rule.days} days missing"


def test_the_permission_matrix_explains_only_the_conventions_its_cells_use(built: Project) -> None:
    # Its legend once explained italics that no cell had.
    page = built.page("compare/permissions")
    table = page[page.index("<table") : page.index("</table>")]
    prose = visible_text(page[page.index("<h1") : page.index("<table")])
    assert ("<em>" in table) == ("italics" in prose)
    assert ("not stated" in visible_text(table)) == ("Not stated" in prose)
