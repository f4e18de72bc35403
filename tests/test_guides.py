"""The generated guides, as a reader gets them from a strict build of the real site."""

from __future__ import annotations

import filecmp
import gzip
import html as html_lib
import json
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
STATE_TEXT = {"required": "✓", "optional": "◐", "off": "–", "forbidden": "✗", "cannot": "✗", "limited": "⚠"}
by_slug = pytest.mark.parametrize("venue", VENUES, ids=[v.slug for v in VENUES])


def guide(built: Project, slug: str) -> str:
    return built.page(f"exchanges/{slug}")


# The parts a reader uses while following the steps: they sit inside the steps, in the order of
# the venue's form, and keep their section ids.
IN_STEPS = ("prerequisites", "where", "permissions", "settings", "ip-whitelist", "credentials", "done")


def parts_in_form_order(venue) -> list[str]:
    kinds = [s.kind for s in venue.steps]
    parts = []
    for kind in kinds:
        if kind == "credentials" and "settings" not in kinds and "ip-whitelist" not in kinds:
            parts.append("ip-whitelist")  # a venue without an IP whitelist says so where the key is pasted
        if kind in ("where", "permissions", "credentials"):
            parts.append(kind)
        if venue.settings and (kind == "settings" or (kind == "ip-whitelist" and "settings" not in kinds)):
            parts.append("settings")
        if kind == "ip-whitelist" or (kind == "settings" and "ip-whitelist" not in kinds):
            parts.append("ip-whitelist")
    return ["prerequisites", *parts, "done"]


@by_slug
def test_every_guide_puts_the_steps_first_with_its_parts_inside_in_form_order(built: Project, venue) -> None:
    html = guide(built, venue.slug)
    ids = element_ids(html)
    present = [i for i in ids if i in {sid for sid, _ in SECTIONS}]
    assert present[0] == "steps", f"{venue.slug}: the page starts with {present[0]}, not the steps"
    inside = present[1 : present.index("done") + 1]
    assert inside == parts_in_form_order(venue), f"{venue.slug}: parts {inside}"
    # Each part is inside the steps' list, not after it.
    steps_list = html[html.index('id="steps"') : html.index('id="quick-facts"')]
    for sid in inside:
        assert f'id="{sid}"' in steps_list, f"{venue.slug}: #{sid} is outside the steps"
    after = present[len(inside) + 1 :]
    expected = [sid for sid, _ in SECTIONS if sid not in IN_STEPS and sid != "steps" and (sid in ALWAYS or sid in ids)]
    assert after == expected, f"{venue.slug}: sections {after}, expected {expected}"
    assert ALWAYS <= set(ids), f"{venue.slug} lacks sections {ALWAYS - set(ids)}"


@by_slug
def test_the_last_step_is_a_final_check_naming_what_must_be_on_and_off(built: Project, venue) -> None:
    html = guide(built, venue.slug)
    steps = html[html.index('id="steps"') : html.index('id="quick-facts"')]
    last = steps[steps.rindex("<li>\n<h3") :]
    assert 'id="done"' in last, f"{venue.slug}: the last step is not the final check"
    text = visible_text(last)
    on, _, off = text.partition("Nothing that moves funds")
    for p in venue.permissions:
        if p.state.value == "required":
            assert p.label in (on or text), f"{venue.slug}: {p.label} not in 'Trading is on'"
        if p.state.value == "forbidden":
            assert p.label in off, f"{venue.slug}: {p.label} not in the never line"
    # What the reader must never give the platform is checked off last, by name.
    for secret in venue.never_share:
        assert "never got your" in text and secret.label in text, f"{venue.slug}: {secret.label} not checked"
    off = off or text
    # The key test's limits: a balance query passes with a read-only key, unless the venue's probe,
    # which the test sends, shows trading.
    if not hasattr(venue.probe, "none") and any("trade" in s.capabilities for s in venue.probe.signals):
        assert "a read-only key passes it too" not in off
        assert f"{venue.venue}'s answer shows whether the key can" in off and "trade." in off
    elif venue.agent_wallet:
        # An API wallet's powers are fixed: the final check says so instead of the key test's limits.
        assert "a read-only key passes it too" not in off
    else:
        assert "a read-only key passes it too" in off
    assert 'href="#troubleshooting"' in last


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
    assert f"Permission checklist {', '.join(map(str, cited))}" in text
    own = any(s.publisher == "venue" for s in venue.sources if numbers[s.id] in cited)
    assert (f"Permission checklist {', '.join(map(str, cited))} (none from {venue.venue} itself)" in text) == (not own)


def search_texts(built: Project) -> dict[str, str]:
    """The text Pagefind keeps of each page, which the search dialog's snippets come from, by address."""
    texts = {}
    for fragment in (built.site / "pagefind" / "fragment").glob("*.pf_fragment"):
        data = json.loads(gzip.decompress(fragment.read_bytes()).removeprefix(b"pagefind_dcd"))
        texts[data["url"]] = data["content"]
    return texts


def test_search_snippets_carry_no_citation_numbers(built: Project) -> None:
    # Citation links are left out of the search index, so a result does not end "...retrying. 375".
    texts = search_texts(built)
    cited = 0
    for venue in VENUES:
        html = guide(built, venue.slug)
        text = texts[f"/exchanges/{venue.slug}/"]
        # The page as a reader sees it without its citations: a date in the next cell may follow.
        bare = visible_text(re.sub(r'<a class="cite"[^>]*>\d+</a>', "", html))
        for before, number in re.findall(r'([^<>]{12,})<a class="cite"[^>]*>(\d+)</a>', html):
            tail = html_lib.unescape(before).strip()[-24:]
            assert tail in text, f"{venue.slug}: {tail!r} is not in its search text"
            cites = f"{tail} {number}"
            assert text.count(cites) <= bare.count(cites), (
                f"{venue.slug}: the search text cites {number} after {tail!r}"
            )
            cited += bare.count(cites) == 0
    assert cited > 100
    assert not [url for url, text in texts.items() if "Paste the error" in text]


def checklist_rows(html: str) -> list[str]:
    return re.findall(r'(<li class="perm [^"]*">.*?</li>)', html, re.DOTALL)


@by_slug
def test_permission_checklist_shows_each_exact_label_with_its_state(built: Project, venue) -> None:
    rows = checklist_rows(section(guide(built, venue.slug), "permissions"))
    assert len(rows) == len(venue.permissions)
    # The page lists the rows group by group, in the order the groups first appear in the file; one
    # label may stand in two groups (MEXC's View Account Details under Spot and under Futures).
    groups: dict[str | None, list] = {}
    for permission in venue.permissions:
        groups.setdefault(permission.group, []).append(permission)
    for permission, row in zip([p for ps in groups.values() for p in ps], rows, strict=True):
        wanted = [f'<span class="perm-label"><strong>{_html(permission.label)}</strong></span>']
        if permission.setting:
            wanted.append(f"{STATE_TEXT[permission.state.value]} ")
            wanted.append(f"<strong>{_html(permission.setting)}</strong>")
        assert all(w in row for w in wanted), f"{venue.slug}: no checklist row for {permission.label!r} here: {row}"
        text = visible_text(row)
        assert text.startswith(STATE_TEXT[permission.state.value]), f"{permission.label!r} row: {text}"


@by_slug
def test_the_checklist_follows_the_groups_of_the_venues_form(built: Project, venue) -> None:
    html = section(guide(built, venue.slug), "permissions")
    groups = list(dict.fromkeys(p.group for p in venue.permissions if p.group))
    shown = [visible_text(g) for g in re.findall(r'<p class="perm-group">(.*?)</p>', html, re.DOTALL)]
    assert [g.split(" under ", 1)[1] for g in shown] == groups
    for group in groups:
        start = html.index(f"<strong>{_html(group)}</strong></p>")
        rows = visible_text(html[start:])
        for p in venue.permissions:
            if p.group == group:
                assert p.label in rows, f"{venue.slug}: {p.label} is not under {group}"


@by_slug
def test_one_never_box_at_the_top_names_every_fund_moving_permission(built: Project, venue) -> None:
    html = guide(built, venue.slug)
    boxes = re.findall(r'<div class="admonition danger never-box">(.*?)</div>', html, re.DOTALL)
    assert len(boxes) == 1, f"{venue.slug}: {len(boxes)} never boxes"
    assert html.index("never-box") < html.index('id="steps"')
    title = visible_text(re.search(r'<p class="admonition-title">(.*?)</p>', boxes[0]).group(1))
    for permission in (p for p in venue.permissions if p.moves_funds and p.state.value == "forbidden"):
        expected = f"eep {permission.label} at {permission.setting}" if permission.setting else permission.label
        assert expected in title, f"{venue.slug}: the never box '{title}' does not name {permission.label}"
    # An agent wallet has nothing to turn on: its never box names what the reader must never hand over.
    for secret in venue.never_share:
        assert secret.label in title and "ever give" in title, f"{venue.slug}: '{title}' lacks {secret.label}"
    assert venue.never_share or "Never turn on" in title or "eep " in title, title
    # A label holding a comma would split the list ("Open, cancel and view bank withdrawals"): all are quoted.
    ticks = [p.label for p in venue.permissions if p.moves_funds and p.state.value == "forbidden" and not p.setting]
    if any("," in label for label in ticks):
        assert all(f"“{label}”" in title for label in ticks), title
    # Every other danger warning is said in the step it belongs to: none waits between the title
    # and the steps.
    top = html[html.index("</h1>") : html.index('id="steps"')]
    assert top.count('class="admonition danger') == 1


@by_slug
def test_every_fund_moving_row_says_what_a_leaked_key_with_it_could_do(built: Project, venue) -> None:
    rows = checklist_rows(section(guide(built, venue.slug), "permissions"))
    # An agent wallet's `cannot` rows have nothing to leak; its `limited` ones say what a leak allows.
    for permission in (p for p in venue.permissions if p.moves_funds and p.state != "cannot"):
        row = next(
            visible_text(r)
            for r in rows
            if f'<span class="perm-label"><strong>{_html(permission.label)}</strong></span>' in r
            and f"perm-{permission.state.value}" in r
        )
        assert "If a key with it leaks:" in row, f"{venue.slug}: {permission.label}"
        risk = re.sub(r"[`*\s]", "", permission.risk)
        assert risk in re.sub(r"\s", "", row), row


@by_slug
def test_each_warning_is_said_once_in_the_step_it_belongs_to(built: Project, venue) -> None:
    html = guide(built, venue.slug)
    steps = html[html.index('id="steps"') : html.index('id="quick-facts"')]
    titles = [visible_text(t) for t in re.findall(r'<p class="admonition-title">(.*?)</p>', html, re.DOTALL)]
    for note in venue.warnings:
        if note.at == "never":
            continue  # its title is the never box's own, said once above the steps
        assert titles.count(note.title) == 1, f"{venue.slug}: '{note.title}' is said {titles.count(note.title)} times"
        inside = f'<p class="admonition-title">{_html(note.title)}</p>' in steps
        assert inside == (note.at != "security"), f"{venue.slug}: '{note.title}' (at {note.at})"


@by_slug
def test_quick_facts_name_each_fact_once(built: Project, venue) -> None:
    # Binance's "Key types" was once a row of its own and an extra fact under the same label.
    table = section(guide(built, venue.slug), "quick-facts")
    labels = [visible_text(c) for c in re.findall(r"<tr>\s*<td>(.*?)</td>", table, re.DOTALL)]
    assert len(labels) == len(set(labels)), f"{venue.slug}: {labels}"
    text = re.sub(r"\s", "", visible_text(table))
    for fact in venue.facts.extra:
        assert re.sub(r"[`*\s]", "", fact.value)[:30] in text, f"{venue.slug}: {fact.label}"


@by_slug
def test_whitelist_block_holds_exactly_the_configured_addresses(built: Project, venue) -> None:
    part = section(guide(built, venue.slug), "ip-whitelist")
    if venue.facts.ip_whitelist.value == "unavailable":
        assert "<code>" not in part and f"{venue.venue} has no IP whitelist" in visible_text(part)
        return
    block = re.search(r"<code>(.*?)</code>", part, re.DOTALL)
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
