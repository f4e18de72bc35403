"""The generated guides, as a reader gets them from a strict build of the real site."""

from __future__ import annotations

import filecmp
import re

import pytest

from conftest import ROOT, Project, copy_project, element_ids, section, visible_text
from venuekit.model import Platform
from venuekit.render import SECTIONS
from venuekit.site import letter_group, read_extra
from venuekit.validate import load_venues, trouble_id

VENUES = [lv.venue for lv in load_venues(ROOT / "exchanges", ROOT)]
PLATFORM = Platform.model_validate(read_extra(ROOT / "mkdocs.yml")["platform"])
ALWAYS = {"quick-facts", "prerequisites", "where", "steps", "permissions", "ip-whitelist", "credentials"}
ALWAYS |= {"security", "troubleshooting", "sources"}
STATE_TEXT = {"required": "✓", "optional": "◐", "off": "–", "forbidden": "✗"}
by_slug = pytest.mark.parametrize("venue", VENUES, ids=[v.slug for v in VENUES])


def guide(built: Project, slug: str) -> str:
    return built.page(f"exchanges/{slug}")


@by_slug
def test_every_guide_has_its_sections_in_order_with_stable_ids(built: Project, venue) -> None:
    ids = element_ids(guide(built, venue.slug))
    expected = [sid for sid, _ in SECTIONS if sid in ALWAYS or sid in ids]
    present = [i for i in ids if i in {sid for sid, _ in SECTIONS}]
    assert present == expected, f"{venue.slug}: sections {present}, expected {expected}"
    assert ALWAYS <= set(ids), f"{venue.slug} lacks sections {ALWAYS - set(ids)}"


@by_slug
def test_every_troubleshooting_entry_has_an_anchor_from_its_error_string(built: Project, venue) -> None:
    html = guide(built, venue.slug)
    for entry in venue.troubleshooting:
        anchor = trouble_id(entry.id, entry.errors[0])
        assert entry.errors[0] in visible_text(section(html, anchor)), f"{anchor} does not show its error"


@by_slug
def test_troubleshooting_opens_with_the_platform_side_checks_that_fit_the_key(built: Project, venue) -> None:
    html = guide(built, venue.slug)
    trouble = section(html, "troubleshooting")
    held = {c.ccxt for c in venue.credentials}
    first_error = trouble_id(venue.troubleshooting[0].id, venue.troubleshooting[0].errors[0])
    for check in PLATFORM.checks:
        shown = f'id="{check.id}"' in trouble
        assert shown == (check.only is None or check.only in held), f"{venue.slug}: {check.id}"
        if shown:
            assert trouble.index(f'id="{check.id}"') < trouble.index(f'id="{first_error}"')
            assert check.title in visible_text(trouble)
    assert ("not your login password" in visible_text(trouble)) == ("password" in held)


@by_slug
def test_each_source_is_its_own_numbered_item(built: Project, venue) -> None:
    # A template tag at a line's end once ran every source into one item ("checked 21 Nov 20265.").
    sources = section(guide(built, venue.slug), "sources")
    listed = sources[: sources.index("Review trail")]
    assert listed.count("<li") == len(venue.sources)
    assert not re.search(r"checked \d{1,2} \w{3} \d{4}\d", visible_text(listed))


@by_slug
def test_the_sources_end_with_a_review_trail_per_section(built: Project, venue) -> None:
    text = visible_text(section(guide(built, venue.slug), "sources"))
    assert "Review trail: the sources behind each section" in text
    numbers = {s.id: i for i, s in enumerate(venue.sources, start=1)}
    cited = sorted({numbers[r] for p in venue.permissions for r in p.sources})
    assert f"Permissions {', '.join(map(str, cited))}" in text
    own = any(s.publisher == "venue" for s in venue.sources if numbers[s.id] in cited)
    assert (f"Permissions {', '.join(map(str, cited))} (none from {venue.venue} itself)" in text) == (not own)


def test_search_snippets_carry_no_citation_numbers(built: Project) -> None:
    # Citation links are left out of the search index, so a result does not end "...retrying. 375".
    import json

    index = json.loads((built.site / "search" / "search_index.json").read_text(encoding="utf-8"))
    guides = [d for d in index["docs"] if d["location"].startswith("exchanges/") and "#error-" in d["location"]]
    assert len(guides) > 50
    trailing = [d["location"] for d in guides if re.search(r"[.)]\s*\d+\s*(</p>)?\s*$", d["text"])]
    assert not trailing, trailing[:5]
    assert not [d["location"] for d in index["docs"] if "Paste the error" in d["text"]]


@by_slug
def test_permission_checklist_shows_each_exact_label_with_its_state(built: Project, venue) -> None:
    rows = re.findall(r"<tr>(.*?)</tr>", section(guide(built, venue.slug), "permissions"), re.DOTALL)
    for permission in venue.permissions:
        wanted = [f"<strong>{_html(permission.label)}</strong>"]
        if permission.setting:
            wanted.append(f"{STATE_TEXT[permission.state.value]} ")
            wanted.append(f"<strong>{_html(permission.setting)}</strong>")
        row = next((visible_text(r) for r in rows if all(w in r for w in wanted)), None)
        assert row, f"{venue.slug}: no checklist row for {permission.label!r} ({permission.setting})"
        assert STATE_TEXT[permission.state.value] in row, f"{permission.label!r} row: {row}"


@by_slug
def test_each_fund_moving_permission_gets_a_danger_box_with_its_risk(built: Project, venue) -> None:
    html = section(guide(built, venue.slug), "permissions")
    boxes = re.findall(r'<div class="admonition danger">(.*?)</div>', html, re.DOTALL)
    for permission in (p for p in venue.permissions if p.moves_funds):
        title = (
            f"Keep {permission.label} at {permission.setting}"
            if permission.setting
            else f"Never turn on {permission.label}"
        )
        assert any(title in visible_text(b) for b in boxes), title


@by_slug
def test_whitelist_block_holds_exactly_the_configured_addresses(built: Project, venue) -> None:
    block = re.search(r"<code>(.*?)</code>", section(guide(built, venue.slug), "ip-whitelist"), re.DOTALL)
    assert block, "no address block"
    addresses = re.split(r"[,\s]+", visible_text(block.group(1)).strip())
    accepted = [a for a in PLATFORM.whitelist.cloud if venue.ip_whitelist.ipv6 or ":" not in a]
    assert addresses == accepted


def test_spot_and_futures_guides_link_each_other_and_say_keys_differ(built: Project) -> None:
    spot = section(guide(built, "kraken-spot"), "related")
    futures = section(guide(built, "kraken-futures"), "related")
    assert 'href="../kraken-futures/"' in spot and "needs its own key" in visible_text(spot)
    assert 'href="../kraken-spot/"' in futures and "needs its own key" in visible_text(futures)


@by_slug
def test_edit_link_opens_the_venue_file(built: Project, venue) -> None:
    link = re.search(r'href="([^"]+)"[^>]*title="Edit this page"', guide(built, venue.slug))
    assert link, "no edit link"
    assert link.group(1).endswith(f"/edit/main/exchanges/{venue.slug}.yml"), link.group(1)


@pytest.mark.parametrize(
    ("url", "template"),
    [
        ("exchanges", "venue_index.md.j2"),
        ("exchanges/a-f", "venue_group.md.j2"),
        ("compare/permissions", "compare_permissions.md.j2"),
        ("compare/key-lifecycle", "compare_lifecycle.md.j2"),
    ],
)
def test_edit_link_of_a_generated_page_opens_its_template(built: Project, url: str, template: str) -> None:
    link = re.search(r'href="([^"]+)"[^>]*title="Edit this page"', built.page(url))
    assert link, f"{url} has no edit link"
    assert link.group(1).endswith(f"/edit/main/templates/{template}"), link.group(1)


def test_home_page_lists_every_venue(built: Project) -> None:
    home = built.page("")
    for venue in VENUES:
        assert f'href="exchanges/{venue.slug}/"' in home, f"home page has no link to {venue.slug}"


def test_navigation_groups_venues_by_letter_and_stays_small(built: Project) -> None:
    home = built.page("")
    nav = home[home.index("md-nav--primary") : home.index("md-sidebar--secondary")]
    assert "A–F" in nav and "S–Z" in nav
    for venue in VENUES:
        assert f"/{venue.slug}/" not in nav, "guides stay out of the navigation; the letter pages list them"
        group = built.page("exchanges/{}-{}".format(*letter_group(venue.name)))
        assert f'href="../{venue.slug}/"' in group, f"{venue.slug} missing from its letter page"


def test_pages_request_nothing_from_other_hosts(built: Project) -> None:
    for page in built.site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        tags = re.findall(r"<(?:script|link|img|iframe|source)\b[^>]*>", html)
        # A canonical link names the page's own address; it is not a request.
        external = [t for t in tags if re.search(r'(?:src|href)="(?:https?:)?//', t) and 'rel="canonical"' not in t]
        assert not external, f"{page.relative_to(built.site)} loads {external}"
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html


def test_text_from_yaml_is_shown_literally_never_evaluated(project: Project) -> None:
    project.edit(
        "exchanges/kraken-spot.yml",
        "  Create a Kraken Spot API key",
        "  Type {{ platform.name }} and {% if x %}y{% endif %}. Create a Kraken Spot API key",
    )
    project.edit(
        "exchanges/kraken-spot.yml",
        "The platform never deposits",
        "Not `{{ 7 * 7 }}` but {{ 7 * 7 }}; the platform never deposits",
    )
    result = project.build()
    assert result.returncode == 0, result.stderr
    text = visible_text(project.page("exchanges/kraken-spot"))
    assert "Type {{ platform.name }} and {% if x %}y{% endif %}." in text
    assert "Not {{ 7 * 7 }} but {{ 7 * 7 }}; the platform never deposits" in text
    assert "but 49" not in text and "Type Example" not in text


def test_two_builds_produce_identical_pages(built: Project, tmp_path) -> None:
    again = copy_project(tmp_path / "again")
    assert again.build().returncode == 0
    pages = sorted(p.relative_to(built.site) for p in built.site.rglob("*") if p.suffix in {".html", ".json"})
    match, mismatch, errors = filecmp.cmpfiles(built.site, again.site, [str(p) for p in pages], shallow=False)
    assert not mismatch and not errors, f"pages differ between builds: {mismatch + errors}"


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
