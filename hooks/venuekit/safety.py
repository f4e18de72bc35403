"""What venue text may contain, and what a label means once its spelling tricks are undone.

Venue files come from contributors, some careless and a few hostile. This module holds the rules for
text from data in one place: the meaning of a label (for the safety rule) and the markup it may carry
(for the pages). The HTML sanitizer that backs the markup rule up is `sanitize`.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from confusable_homoglyphs import confusables

# Characters that change how text looks or reads without being visible: zero-width, soft hyphen,
# bidirectional controls (Unicode category Cf), and controls other than newline and tab (Cc).
_INVISIBLE = frozenset({"Cf", "Cc", "Co", "Cs", "Cn"})


# In ASCII, the only such characters are the controls.
_ASCII_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def invisible_characters(text: str) -> list[str]:
    """The invisible or control characters in `text`, named as a maintainer can search for them."""
    if text.isascii() and not _ASCII_CONTROL.search(text):
        return []
    return [
        f"U+{ord(c):04X} {unicodedata.name(c, 'unnamed')}"
        for c in text
        if c not in "\n\t" and unicodedata.category(c) in _INVISIBLE
    ]


def skeleton(text: str) -> str:
    """`text` as a word list can match it: NFKC, invisible characters removed, look-alike letters
    mapped to Latin ones (Unicode's confusables data), case folded, runs of non-letters made one space."""
    folded = unicodedata.normalize("NFKC", text)
    folded = "".join(c for c in folded if unicodedata.category(c) not in _INVISIBLE)
    folded = "".join(_latin(c) for c in folded)
    folded = unicodedata.normalize("NFKC", folded).casefold()
    return " ".join(re.findall(r"\w+", folded))


@cache
def _latin(char: str) -> str:
    # The Latin letter that a non-Latin letter imitates (Cyrillic а for a), or the letter itself.
    if char.isascii() or not char.isalpha():
        return char
    found = confusables.is_confusable(char, greedy=False, preferred_aliases=["latin"])
    if not found:
        return char
    for glyph in found[0]["homoglyphs"]:
        if glyph["c"].isascii():
            return glyph["c"]
    return char


# Words for moving funds out, matched against skeletons: English forms, the API flags venues use
# (enableWithdrawals, canTransfer, ...) and the Chinese, Japanese and Korean labels venues' own forms show
# (Upbit's 출금하기 "withdraw", 자산이전 "asset transfer").
_FUND_WORDS = re.compile(
    r"with ?dr[ae]w|trans ?fer|pay ?outs?|\bsend|\bremit|disburs|"
    r"提现|提幣|提币|转账|轉賬|轉帳|划转|劃轉|出金|送金|振替|출금|이체|송금|자산이전|자산 이전"
)


def fund_words(text: str) -> str | None:
    """The word in `text` that speaks of moving funds, however it is spelled, or None."""
    match = _FUND_WORDS.search(skeleton(text))
    return match.group(0) if match else None


# A read-only box about withdrawals names a record, not an action: "View Deposit/Withdrawal Details",
# "Read transfer information", or a scope code such as SPOT_WITHDRAW_READ. Only those two shapes read
# as records: a word of reading first and the fund word followed by what is read, or a code ending in READ.
_READ_LEAD = re.compile(r"^(view|read|query|list|see|check) ")
_RECORD_PHRASE = re.compile(
    r"(with ?draw(al)?s?|trans ?fers?) (details?|information|info|records?|history|status|addresses)\b"
)
_READ_SCOPE = re.compile(r"^[a-z]+_(withdraw|transfer)_(read|r)$")


def reads_records_only(text: str) -> bool:
    """Whether `text`, which speaks of withdrawals or transfers, names only reading their records."""
    folded = skeleton(text)
    if _READ_SCOPE.match(folded):
        return True
    rest = _RECORD_PHRASE.sub(" ", folded)
    return bool(_READ_LEAD.match(folded)) and rest != folded and fund_words(rest) is None


# The levels a forbidden permission may be kept at: off, or read-only levels that move nothing.
OFF_SETTINGS = frozenset(
    {"off", "disabled", "disable", "no", "none", "no access", "not allowed", "deny", "denied", "unchecked"}
    | {"read", "read only", "view", "view only"}
)


def is_off_setting(text: str) -> bool:
    return skeleton(text) in OFF_SETTINGS


# --- Markup in venue text -------------------------------------------------------------------------

# Any tag-like `<`: raw HTML, comments, processing instructions and autolinks (`<javascript:...>`).
_RAW_HTML = re.compile(r"<[A-Za-z/!?]|<[A-Za-z][A-Za-z0-9+.-]*:")
# The target of an inline link or image, and of a reference definition.
_LINK_TARGET = re.compile(r"\]\(\s*<?([^)\s>]*)|^\s{0,3}\[[^\]]+\]:\s*<?(\S*)", re.MULTILINE)
# Markdown extensions' directives that read files or change the page: snippets, admonitions, blocks,
# attribute lists and abbreviations.
_DIRECTIVES = re.compile(r"-{1,}8<-{1,}|^\s*(!!!|\?\?\?\+?|///)|\{\s*[:.#]|^\s*\*\[", re.MULTILINE)


def markup_problem(text: str) -> str | None:
    """Why `text` cannot be published as venue Markdown, or None when it can."""
    if found := invisible_characters(text):
        return f"contains an invisible or control character ({found[0]}); delete it and type the text plainly"
    if match := _RAW_HTML.search(text):
        return (
            f"raw HTML or an autolink {re.match(r'<[^>]{0,40}>?', text[match.start() :]).group(0)!r} is not allowed; "
            "write Markdown instead (**bold**, `code`, [link](https://...))"
        )
    for match in _LINK_TARGET.finditer(text):
        target = match.group(1) if match.group(1) is not None else match.group(2)
        if not _allowed_target(target):
            return f"link target {target!r} is not allowed; links go to https:// addresses or to #sections of the page"
    if match := _DIRECTIVES.search(text):
        return (
            f"{match.group(0).strip()!r} is Markdown-extension syntax (snippets, admonitions, attributes), "
            "which venue text may not use; write plain Markdown"
        )
    return None


def tag_problem(text: str) -> str | None:
    """Why `text`, shown literally, still may not hold what looks like an HTML tag, or None."""
    if match := _RAW_HTML.search(text):
        found = re.match(r"<[^>]{0,40}>?", text[match.start() :]).group(0)
        return (
            f"{found!r} looks like an HTML tag, which no venue's error message holds; "
            "give the message as the venue returns it"
        )
    return None


def line_problem(text: str) -> str | None:
    """Why `text` cannot stand as a one-line value (a label, a heading, an error string), or None."""
    if "\n" in text.strip() or "\r" in text:
        return "must be one line; join the lines or move the detail into a text field"
    if found := invisible_characters(text):
        return f"contains an invisible or control character ({found[0]}); delete it and type the text plainly"
    return None


def _allowed_target(target: str) -> bool:
    # https:// addresses, and the page's own #anchors; nothing that a browser could run or that
    # leaves through another scheme.
    return re.fullmatch(r"https://[^\s\"'`<>\\{}()]+|#[A-Za-z0-9_-]+", target) is not None


# --- The probe: a request that only reads -----------------------------------------------------------

# Words of a request that writes: creates, changes, sends or cancels something. Bitfinex's `w`
# segment (`/v2/auth/w/...`) marks its writes.
_WRITE_WORDS = frozenset(
    {"apply", "submit", "create", "new", "add", "place", "send", "cancel", "delete", "remove", "update", "modify"}
    | {"set", "edit", "change", "execute", "confirm", "approve", "request", "make", "do", "post", "put", "w"}
    | {"enable", "disable", "reset", "revoke", "bind", "unbind", "save", "claim", "redeem", "borrow", "repay"}
)
# Words that name reading something: a request about withdrawals may use them (its status, its
# history, its addresses) and still move nothing.
_READ_WORDS = frozenset(
    {"get", "query", "list", "status", "history", "info", "records", "record", "detail", "details", "methods"}
    | {"addresses", "quota", "limits", "fee", "fees", "r", "read"}
)


def request_words(*names: str) -> list[str]:
    """The words of request paths and method names, folded: `/v2/auth/r/permissions` and
    `privatePostWithdrawStatus` give `v2 auth r permissions private post withdraw status`."""
    words: list[str] = []
    for name in names:
        spaced = re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)
        words += re.split(r"[\W_]+", skeleton(spaced))
    return [w for w in words if w]


def probe_problem(path: str, ccxt: str | None) -> str | None:
    """Why a probe request might change or move something, or None when it only reads. Its path and
    its CCXT method are each read as words (every spelling folded, as for labels): a word of writing
    is refused, and one that speaks of moving funds must come with what it reads (status, history)."""
    # CCXT's names start with the API and the HTTP method (`privatePost...`), which say nothing of writing.
    for words in (request_words(path), request_words(ccxt)[2:] if ccxt else []):
        if written := next((w for w in words if w in _WRITE_WORDS), None):
            return f"'{written}' names a request that writes; the probe may only read"
        # Read across the words too, so `with_draw` or `with/draw` is still a withdrawal.
        moving = fund_words(" ".join(words))
        if moving and not any(w in _READ_WORDS for w in words):
            return (
                f"'{moving}' names a request that moves funds; the probe may only read (a request about "
                "withdrawals or transfers may only read their status, history, addresses or limits)"
            )
    return None
