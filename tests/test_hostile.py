"""A careless or hostile venue file cannot make a page say "turn on" for a fund-moving permission,
cannot put live markup on a page, cannot take the build down, and never costs the previous site."""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import nh3
import pytest

from conftest import ROOT, Project
from venuekit.sanitize import clean_html
from venuekit.validate import VenueErrors, load_venues

SPOT = "exchanges/kraken-spot.yml"
# Kraken Spot's withdrawal row, as the file has it; attacks rewrite it.
WITHDRAW_ROW = "  - label: Withdraw\n    group: Funds permissions\n"
WITHDRAW_STATE = "    capability: withdraw\n    state: forbidden"
SIGNATURE_ERROR = '  - errors: ["EAPI:Invalid signature"]'


def report_for(project: Project) -> str:
    with pytest.raises(VenueErrors) as caught:
        load_venues(project.root / "exchanges", project.root)
    return caught.value.report()


def _line(project: Project, relative: str, text: str) -> int:
    lines = (project.root / relative).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def _decoy_then_disguised(label: str, refused: str = "") -> Callable[[Project], str]:
    # A decoy forbidden row keeps "a withdrawal permission is declared" true, while the real one,
    # spelled to dodge a word list, is marked for readers to turn on.
    def attack(p: Project) -> str:
        p.edit(SPOT, WITHDRAW_ROW, WITHDRAW_ROW.replace("Withdraw", label))
        p.edit(SPOT, WITHDRAW_STATE, "    capability: trade\n    state: required")
        decoy = (
            "  - label: Withdraw (old)\n    capability: withdraw\n    state: forbidden\n    why: Decoy.\n"
            "    risk: Decoy.\n    sources: [kraken-pro-api-keys]\n"
        )
        p.edit(SPOT, "  - label: Earn\n", decoy + "  - label: Earn\n")
        # An invisible character is refused where it stands; a look-alike letter by what it means.
        return refused or f"permissions[2].state: '{label}' speaks of moving funds ('withdraw' in its label)"

    return attack


def withdraw_only_in_aka(p: Project) -> str:
    p.edit(SPOT, WITHDRAW_ROW, "  - label: Funds access\n    group: Funds permissions\n    aka: [Withdraw Funds]\n")
    p.edit(SPOT, "    article_label: Withdraw Funds\n", "")
    p.edit(SPOT, WITHDRAW_STATE, "    capability: read\n    state: required")
    return "'Funds access' speaks of moving funds ('withdraw' in its aka)"


def withdraw_only_in_article_label(p: Project) -> str:
    p.edit(SPOT, WITHDRAW_ROW, "  - label: Funds access\n    group: Funds permissions\n")
    p.edit(SPOT, WITHDRAW_STATE, "    capability: read\n    state: required")
    return "'Funds access' speaks of moving funds ('withdraw' in its article_label)"


def _dressed_as_a_record_box(label: str, aka: str = "") -> Callable[[Project], str]:
    # A box that only reads withdrawal records may be on; an action dressed in reading words may not.
    def attack(p: Project) -> str:
        p.edit(SPOT, WITHDRAW_ROW, f"  - label: {label}\n    group: Funds permissions\n{aka}")
        p.edit(SPOT, "    article_label: Withdraw Funds\n", "")
        p.edit(SPOT, WITHDRAW_STATE, "    capability: read\n    state: required")
        return f"permissions[2].state: '{label}' speaks of moving funds"

    return attack


def empty_capability(p: Project) -> str:
    p.edit(SPOT, "    capability: earn\n", "    capability: []\n")
    return "permissions[3].capability: needs at least 1 item"


def forbidden_kept_enabled(p: Project) -> str:
    p.edit(SPOT, WITHDRAW_STATE, "    setting: Enabled\n" + WITHDRAW_STATE)
    return "permissions[2].setting: forbidden permission 'Withdraw' can only be kept at an off setting, not 'Enabled'"


def _in_summary(fragment: str, expected: str) -> Callable[[Project], str]:
    # Hostile text put at the start of the guide's summary, a Markdown field every venue has.
    def attack(p: Project) -> str:
        p.edit(SPOT, "  Create a Kraken Spot API key", f"  {fragment}Create a Kraken Spot API key")
        return f"summary: {expected}"

    return attack


def url_breaks_out(p: Project) -> str:
    p.edit(SPOT, "    url: https://", "    url: 'https://x.example/){: onclick=alert(1) }'\n    x: https://", 1)
    return "sources[0].url: 'https://x.example/){: onclick=alert(1) }' does not have the expected form"


def newline_in_error(p: Project) -> str:
    p.edit(SPOT, SIGNATURE_ERROR, SIGNATURE_ERROR.replace('"]', '\\n<script>x</script>"]'))
    return "troubleshooting[1].errors[0]: must be one line"


def tag_in_error(p: Project) -> str:
    p.edit(SPOT, SIGNATURE_ERROR, SIGNATURE_ERROR.replace('"]', '<img src=x onerror=alert(1)>"]'))
    return "troubleshooting[1].errors[0]: '<img src=x onerror=alert(1)>' looks like an HTML tag"


def future_verified(p: Project) -> str:
    verified = re.search(r"^verified: .*$", p.venue("kraken-spot").read_text(encoding="utf-8"), re.M)[0]
    p.edit(SPOT, verified, "verified: 2030-01-01")
    return f"{SPOT}:{_line(p, SPOT, 'verified: 2030')}: verified: 2030-01-01 is in the future"


def unknown_ccxt_id(p: Project) -> str:
    p.edit(SPOT, "ccxt: [kraken]", "ccxt: [notanexchange]")
    return "ccxt[0]: 'notanexchange' is not an exchange id of CCXT"


def trouble_id_is_a_section(p: Project) -> str:
    p.edit(
        SPOT, '  - errors: ["EAPI:Invalid signature"]', '  - errors: ["EAPI:Invalid signature"]\n    id: permissions'
    )
    return "troubleshooting[1].id: 'permissions' does not have the expected form (`error-` then lower-case"


def alias_bomb(p: Project) -> str:
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]" for i in range(1, 9)]
    (p.root / "exchanges" / "bomb.yml").write_text("\n".join(levels) + "\n", encoding="utf-8")
    return "exchanges/bomb.yml:1: a0: an anchor (&a0) is not allowed in a venue file"


def deep_nesting(p: Project) -> str:
    (p.root / "exchanges" / "deep.yml").write_text("name: " + "[" * 100_000 + "\n", encoding="utf-8")
    return "exchanges/deep.yml:1: name[0][0][0][0][0][0][0]: nesting deeper than 8 levels"


def complex_key(p: Project) -> str:
    p.edit(SPOT, "product: spot\n", "product: spot\n? [a, b]\n: c\n")
    return f"{SPOT}:{_line(p, SPOT, '? [a, b]')}: a key must be a plain word"


def tab_indent(p: Project) -> str:
    p.edit(SPOT, "  region:", "\tregion:")
    return f"{SPOT}:{_line(p, SPOT, 'region:')}: a tab indents this line (at `region:`); YAML indents with spaces only"


def key_that_looks_like_a_type(p: Project) -> str:
    # Found by the fuzz test: a key with brackets once crashed the error report.
    p.edit(SPOT, "steps:\n", '"list[str-enum[x]]": 1\nsteps:\n')
    return "list[str-enum[x]]: unknown field; valid fields here: name, venue, slug"


CASES: dict[str, Callable[[Project], str]] = {
    "zero-width space in Withdraw": _decoy_then_disguised(
        "With\u200bdraw", "permissions[2].label: contains an invisible or control character (U+200B ZERO WIDTH SPACE)"
    ),
    "Cyrillic a in Withdraw": _decoy_then_disguised("Withdr\u0430w"),
    "soft hyphen in Withdraw": _decoy_then_disguised(
        "With\u00addraw", "permissions[2].label: contains an invisible or control character (U+00AD SOFT HYPHEN)"
    ),
    "full-width Withdraw": _decoy_then_disguised("\uff37ithdraw"),
    "Korean withdraw marked on": _decoy_then_disguised(
        "출금하기", "permissions[2].state: '출금하기' speaks of moving funds ('출금' in its label)"
    ),
    "withdraw only in aka": withdraw_only_in_aka,
    "an action behind a reading word": _dressed_as_a_record_box("View details & Withdraw"),
    "a record box and an action": _dressed_as_a_record_box("View Withdrawal Details and Withdraw"),
    "a record box whose alias acts": _dressed_as_a_record_box(
        "View Withdrawal Details", "    aka: [SPOT_WITHDRAW_WRITE]\n"
    ),
    "withdraw only in article_label": withdraw_only_in_article_label,
    "empty capability": empty_capability,
    "forbidden kept at Enabled": forbidden_kept_enabled,
    "javascript: link": _in_summary("[click](javascript:alert(1)) ", "link target 'javascript:alert(1' is not allowed"),
    "svg onload": _in_summary("<svg/onload=alert(1)> ", "raw HTML or an autolink '<svg/onload=alert(1)>' is not"),
    "img onerror": _in_summary("<img/src=x onerror=alert(1)> ", "raw HTML or an autolink '<img/src=x onerror="),
    "source url breaking out": url_breaks_out,
    "newline in an error string": newline_in_error,
    "tag in an error string": tag_in_error,
    "snippet line": _in_summary("--8<-- '/etc/passwd'\n\n  ", "'--8<--' is Markdown-extension syntax"),
    "zero-width in text": _in_summary("\u200b", "contains an invisible or control character (U+200B ZERO WIDTH SPACE)"),
    "future verified date": future_verified,
    "unknown CCXT id": unknown_ccxt_id,
    "troubleshooting id of a section": trouble_id_is_a_section,
    "alias bomb": alias_bomb,
    "deep nesting": deep_nesting,
    "complex key": complex_key,
    "tab indent": tab_indent,
    "key with brackets": key_that_looks_like_a_type,
}


@pytest.mark.parametrize("attack", CASES.values(), ids=CASES.keys())
def test_hostile_file_is_refused_with_file_line_field_and_reason(project: Project, attack) -> None:
    expected = attack(project)
    started = time.monotonic()
    report = report_for(project)
    assert expected in report, f"expected {expected!r} in:\n{report}"
    assert time.monotonic() - started < 30, "a small file must not take the validator down"


def test_alias_bomb_stops_at_once_without_echoing_its_value(project: Project) -> None:
    alias_bomb(project)
    report = report_for(project)
    assert len(report) < 2000, "the error line must not echo an expanded value"


def _tree_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def _previous_site(project: Project) -> str:
    result = project.build()
    assert result.returncode == 0, result.stderr
    return _tree_digest(project.site)


def break_a_template(p: Project) -> str:
    p.edit("templates/guide.md.j2", "{{ v.summary", "{{ v.no_such_field.summary")
    return "no_such_field"


def break_an_anchor(p: Project) -> str:
    (p.root / "docs" / "broken-anchor.md").write_text("# Broken\n\n[x](index.md#no-such-anchor)\n", encoding="utf-8")
    return "no-such-anchor"


def break_a_venue(p: Project) -> str:
    p.edit(SPOT, WITHDRAW_STATE, "    capability: withdraw\n    state: required")
    return "must be `forbidden`"


@pytest.mark.parametrize(
    "make_failure", [break_a_template, break_an_anchor, break_a_venue], ids=["render", "strict", "load"]
)
def test_a_failed_build_leaves_the_previous_site_byte_identical(project: Project, make_failure) -> None:
    before = _previous_site(project)
    expected = make_failure(project)
    result = project.build()
    assert result.returncode != 0
    assert expected in result.stderr + result.stdout
    assert _tree_digest(project.site) == before
    assert not (project.root / ".site.staging").exists(), "the rejected build must be cleaned away"


def test_a_good_build_replaces_the_site_whole(project: Project) -> None:
    _previous_site(project)
    (project.site / "left-over.html").write_text("old", encoding="utf-8")
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert not (project.site / "left-over.html").exists()
    assert (project.site / "exchanges" / "kraken-spot" / "index.html").exists()


def test_sanitizer_removes_what_could_run() -> None:
    dirty = (
        '<p><a href="javascript:alert(1)">x</a><img src=x onerror="alert(1)"><script>alert(1)</script>'
        '<span onclick="alert(1)" class="ok">y</span><a href="data:text/html,x">z</a>'
        '<svg onload="alert(1)" viewBox="0 0 1 1"><path d="M0"/></svg><a href="#permissions">ok</a></p>'
    )
    clean = clean_html(dirty)
    for bad in ("javascript:", "onerror", "<script", "onclick", "data:text", "onload"):
        assert bad not in clean
    assert 'class="ok"' in clean and 'href="#permissions"' in clean and 'viewBox="0 0 1 1"' in clean


def test_sanitizer_keeps_the_real_pages_as_they_are(built: Project) -> None:
    # The allowlist covers everything the templates make: cleaning a built guide's article again
    # changes nothing but entity spelling.
    page = built.page("exchanges/kraken-spot")
    article = page[page.index("<article") : page.index("</article>")]
    assert nh3.is_html(article)
    assert clean_html(article).count("<a ") == article.count("<a ")
    assert clean_html(article).count("<td") == article.count("<td")


def test_validate_refuses_a_path_that_does_not_exist() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "dev"), "validate", "exchanges/no-such-venue.yml"],
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert result.returncode == 2
    assert "exchanges/no-such-venue.yml: no such file" in result.stderr


def test_validate_reads_relative_paths_from_where_it_is_run() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "dev"), "validate", "kraken-spot.yml"],
        capture_output=True,
        text=True,
        cwd=ROOT / "exchanges",
    )
    assert result.returncode == 0, result.stderr
    assert "1 venue files OK" in result.stdout


def test_a_box_that_only_reads_withdrawal_records_may_be_on(project: Project) -> None:
    # MEXC's View Deposit/Withdrawal Details (SPOT_WITHDRAW_READ) reads; CCXT needs it to connect.
    project.edit(SPOT, WITHDRAW_ROW, "  - label: View Deposit/Withdrawal Details\n    aka: [SPOT_WITHDRAW_READ]\n")
    project.edit(SPOT, "    article_label: Withdraw Funds\n", "")
    project.edit(SPOT, WITHDRAW_STATE, "    capability: read\n    state: required")
    project.edit(
        SPOT,
        "  - label: Earn\n",
        "  - label: Withdraw\n" + WITHDRAW_STATE + "\n    why: Moves funds.\n"
        "    risk: A leaked key empties the account.\n    sources: [kraken-pro-api-keys]\n  - label: Earn\n",
    )
    load_venues(project.root / "exchanges", project.root)
