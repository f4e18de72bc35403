"""The second check of the safety rule, on the built pages as a reader sees them.

It shares no code with the validator (`venuekit` is not imported): its own normalisation and its own
word list, so one mistake cannot pass both checks.
"""

from __future__ import annotations

import html as html_lib
import re
import unicodedata
from pathlib import Path

from conftest import Project

# Its own spelling of "moves funds out", read from what the page shows.
MOVES_FUNDS = re.compile(
    r"with\s*draw|trans\s*fer|pay\s*out|\bsend\b|提现|提币|转账|划转|출금|이체|송금|자산\s*이전", re.IGNORECASE
)
# The states a checklist row can show; only "Never" (or "Keep at" an off level) is safe for those rows.
SAFE_STATES = re.compile(r"^✗ (Never|Keep at \S.*)$")
# An on-chain venue's agent wallet has fixed powers: a row may say it cannot, or can only within a
# stated limit, and only on a page whose reader pastes a wallet address, never a key the venue issues.
AGENT_STATES = re.compile(r"^(✗ Cannot|⚠ Limited)$")
# A box that only reads withdrawal or transfer records, in this check's own words: a reading verb first,
# and every fund word followed by the record it reads ("View Deposit/Withdrawal Details").
READS_RECORDS = re.compile(r"^(View|Read|Query|List|See|Check)\b", re.IGNORECASE)
RECORD_PHRASE = re.compile(
    r"(with\s*drawals?|trans\s*fers?)\s+(details?|information|info|records?|history|status|addresses)\b",
    re.IGNORECASE,
)


def reads_records(label: str) -> bool:
    return bool(READS_RECORDS.match(label)) and not MOVES_FUNDS.search(RECORD_PHRASE.sub(" ", label))


OFF_LEVELS = re.compile(r"^✗ Keep at (Off|Disabled|No access|No|None|Read|Read only|View only)$", re.IGNORECASE)
# Instructions that would tell a reader to switch a fund-moving permission on.
TURN_ON = re.compile(
    r"(turn on|tick|switch on|set to|keep at|choose)\s+(the\s+)?\**\s*(\w+\s+){0,2}?(withdraw|transfer)",
    re.IGNORECASE,
)


# Cyrillic and Greek letters that pass for Latin ones, folded by this check's own small table.
LOOK_ALIKES = str.maketrans("аеорсхуіѕԁԝтмнкАЕОРСХУІЅТМНКВαορτνΑΕΟΡΤΝΚΒ", "aeopcxyisdwtmhkAEOPCXYISTMHKBaoptvAEOPTNKB")


def plain(fragment: str) -> str:
    text = re.sub(r"<[^>]+>", " ", fragment)
    text = unicodedata.normalize("NFKC", html_lib.unescape(text))
    text = "".join(c for c in text if unicodedata.category(c) != "Cf").translate(LOOK_ALIKES)
    return " ".join(text.split())


def permission_rows(page: str) -> list[tuple[str, str, str]]:
    """(label, state badge, the row's whole text) of each row of the guide's permission checklist."""
    start = page.index('id="permissions"')
    end = re.compile(r"<h[1-3][\s>]").search(page, start).start()
    rows = re.findall(r'<li class="perm\b[^"]*">(.*?)</li>', page[start:end], re.DOTALL)
    found = []
    for row in rows:
        state = re.search(r'<span class="state[^"]*">(.*?)</span>', row, re.DOTALL)
        label = re.search(r'<span class="perm-label">(.*?)</span>', row, re.DOTALL)
        found.append(
            (plain(label.group(1)) if label else plain(row), plain(state.group(1)) if state else "", plain(row))
        )
    return found


def guides(built: Project) -> list[Path]:
    return sorted(
        p for p in (built.site / "exchanges").glob("*/index.html") if not re.fullmatch(r"[a-z]-[a-z]", p.parent.name)
    )


def agent_wallet_page(page: str) -> bool:
    """Whether the reader pastes a wallet address and is told never to give the main wallet's secrets."""
    start = page.index('id="credentials"')
    pasted = plain(page[start : re.compile(r"<h[1-3][\s>]").search(page, start + 20).start()])
    never = plain(re.search(r'class="admonition danger never-box".*?</p>', page, re.DOTALL).group(0))
    return "Wallet address field" in pasted and "Never give" in never


def test_every_fund_moving_row_on_every_guide_says_never(built: Project) -> None:
    for path in guides(built):
        page = path.read_text(encoding="utf-8")
        if "retired-notice" in page:
            continue
        rows = permission_rows(page)
        assert any(state.startswith("✗") for _, state, _ in rows), f"{path}: no permission is marked never"
        for permission, state, text in rows:
            if MOVES_FUNDS.search(permission) and not reads_records(permission):
                if AGENT_STATES.match(state):
                    assert agent_wallet_page(page), f"{path}: '{permission}' shows '{state}' on a key form"
                    assert state != "⚠ Limited" or " Only " in f" {text}", f"{path}: '{permission}' states no limit"
                    continue
                assert SAFE_STATES.match(state), f"{path}: '{permission}' shows '{state}', not ✗ Never"
                if state.startswith("✗ Keep at"):
                    assert OFF_LEVELS.match(state), f"{path}: '{permission}' is kept at a level that is not off"


def test_no_page_tells_a_reader_to_turn_on_a_fund_moving_permission(built: Project) -> None:
    for path in built.site.rglob("*.html"):
        text = plain(path.read_text(encoding="utf-8"))
        for match in TURN_ON.finditer(text):
            context = text[max(0, match.start() - 60) : match.end() + 60]
            # "never", "do not", "leave off" before the verb reverse the instruction.
            assert re.search(r"never|n't|not|no |leave|off|without|only if|except", context, re.IGNORECASE), (
                f"{path.relative_to(built.site)}: '{context}'"
            )


def test_no_generated_page_carries_script_handlers_or_foreign_links(built: Project) -> None:
    for path in guides(built) + [
        built.site / "exchanges" / "index.html",
        built.site / "compare" / "permissions" / "index.html",
    ]:
        page = path.read_text(encoding="utf-8")
        article = page[page.index("<article") : page.index("</article>")]
        assert "<script" not in article, path
        assert not re.search(r"\son[a-z]+\s*=", article), path
        for href in re.findall(r'href="([^"]*)"', article):
            assert href.startswith(("https://", "#", "../", "./")) or not re.match(r"[a-z][a-z0-9+.-]*:", href), (
                f"{path}: link {href!r}"
            )


def test_the_page_check_sees_a_disguised_withdrawal_marked_turn_on() -> None:
    # The page a bypassed validator would have built: the check must not be fooled by the spelling.
    page = (
        '<h3 id="permissions">Permissions</h3><ul><li class="perm perm-required"><span class="state">✓ On</span> '
        '<span class="perm-label"><strong>Withdr\u0430w</strong></span></li><li class="perm">'
        '<span class="state">✓ On</span> <span class="perm-label">With\u00addraw</span></li></ul><h3>Next</h3>'
    )
    rows = permission_rows(page)
    assert [bool(MOVES_FUNDS.search(p)) for p, _, _ in rows] == [True, True]
    assert not any(SAFE_STATES.match(state) for _, state, _ in rows)


def test_the_page_check_reads_a_record_box_as_reading_and_a_disguised_action_as_moving() -> None:
    assert reads_records("View Deposit/Withdrawal Details") and reads_records("Read transfer information")
    for label in ("View details & Withdraw", "View Withdrawal Details and Withdraw", "Withdrawal details", "Transfer"):
        assert not reads_records(label), label


def test_the_page_check_refuses_cannot_on_a_key_form() -> None:
    # A venue that issues keys from a form has a box for withdrawals: "cannot" there would hide it.
    page = (
        '<h3 id="permissions">Permissions</h3><ul><li class="perm perm-cannot"><span class="state">✗ Cannot</span> '
        '<span class="perm-label"><strong>Withdraw</strong></span></li></ul><h3 id="credentials">Add the key</h3>'
        "<ul><li>API key → Example Trader's <strong>API key</strong> field</li></ul><h3>Next</h3>"
        '<div class="admonition danger never-box"><p class="admonition-title">Never turn on Withdraw</p></div>'
    )
    assert [state for _, state, _ in permission_rows(page)] == ["✗ Cannot"]
    assert not agent_wallet_page(page)
