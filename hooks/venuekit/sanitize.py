"""The last line of defence for pages built from venue data: an allowlist HTML sanitizer (nh3, the
binding of Rust's ammonia) over each generated page's HTML, so that whatever slips past the Markdown
rules in `safety` cannot run: no script, no event handler, no link other than https or relative."""

from __future__ import annotations

import nh3

# What the guide, index, comparison and letter-range templates produce, and nothing more.
_TAGS = nh3.ALLOWED_TAGS | {"svg", "path", "label", "select", "option", "output", "form", "input"}
_ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "dir", "scope", "colspan", "rowspan"},
    "a": {"href", "rel"},
    "svg": {"viewBox", "xmlns", "width", "height", "fill"},
    "path": {"d", "fill"},
    "option": {"value"},
    "label": {"for"},
    "output": {"for"},
    "input": {"type", "autocomplete", "spellcheck", "placeholder"},
    "ol": {"start"},
}


def clean_html(html: str) -> str:
    """`html` with every element, attribute and URL scheme outside the allowlist removed."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        generic_attribute_prefixes={"data-", "aria-"},
        url_schemes={"https"},
        link_rel=None,
        strip_comments=True,
    )
