"""The links the site publishes for the app: the help index, the /go/ entry points, and the ledger check."""

from __future__ import annotations

import functools
import html
import json
import posixpath
import re
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from .model import PlatformCheck, Probe, Venue
from .render import Guide

FORMAT_VERSION = 3
LEDGER_HEADER = """\
# Every URL and anchor this site has published, one per line, from the site's root.
# The tests fail when one of them stops resolving in a fresh build. Never delete a line:
# a renamed venue keeps its old slug in `former_slugs`, a removed anchor gets a redirect.
# Add the links a change publishes with `./dev links --update`.
"""


REPAIR = (
    "Published links must keep working: restore the page or anchor, or keep the old address alive "
    "(a renamed venue lists its old slug in `former_slugs`); never delete the line"
)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", use_attribute_docstrings=True)


class ErrorEntry(_Model):
    id: str
    """The entry's anchor id on the guide page."""
    errors: list[str]
    """The exact error strings and codes the entry covers, as the venue returns them."""
    ccxt_error: str | None = None
    """The CCXT exception class the platform sees for these errors, where CCXT maps them."""
    former_ids: list[str] = []
    """Anchors the entry had before; they still land on it."""
    path: str
    """The entry's address, relative to `site_url`."""


class ProbeSignal(_Model):
    capability: list[str]
    """What the value shows the key can do: `withdraw`, `transfer` (funds out), `trade`, `read`."""
    field: str
    """Where the value is in the response: object keys and list indexes separated by dots, and
    `[i=value]` for the row of a list whose item (or key) `i` is `value`; `[i=@apiKey]` for the
    row whose item `i` is the pasted key."""
    equals: str | int | bool | None = None
    """The key has the capability when the value is exactly this."""
    contains: int | str | None = None
    """The key has the capability when the value is a list holding this item, or a string whose
    comma- or space-separated items include it. A number matches it written as a number or as text."""


class ProbeGap(_Model):
    capability: str
    """A capability the response does not report: the app answers `unknown` for it."""
    text: str
    """Why, in Markdown."""


class ProbeKnown(_Model):
    field: str
    """A list (or comma- or space-separated string) in the response."""
    values: list[int | str]
    """Every item the venue documents for it: any other item makes the answer `unknown`."""


class ProbeEntry(_Model):
    """How the app checks a pasted key: the venue's read-only request that reports the key's
    permissions, or, where there is none, why not."""

    available: bool
    """Whether the venue has such a request; when false, `reason` says why and no field below is set
    but `fallback`."""
    method: str | None = None
    """The request's HTTP method."""
    path: str | None = None
    """The request's path on the venue's API."""
    ccxt: str | None = None
    """CCXT's implicit-API method that sends it, e.g. `sapiGetAccountApiRestrictions`."""
    needs: str | None = None
    """The permission the request itself needs."""
    signals: list[ProbeSignal] = []
    """The response's fields that show what the key may do."""
    gaps: list[ProbeGap] = []
    """What the response cannot show."""
    known: list[ProbeKnown] = []
    """Lists whose every item the venue documents."""
    reason: str | None = None
    """Where there is no probe, why not."""
    fallback: str | None = None
    """Where there is no probe, what to do instead."""
    section: str
    """The guide's section that tells readers what the check does."""


class LifecycleRule(_Model):
    """A rule that expires, disables or strips a key, as data the app can count with."""

    kind: str
    """`expiry`, `inactivity`, `ip-whitelist` or `password-change`."""
    days: int | None = None
    """The days the rule counts, where it counts any."""
    counts_from: str | None = None
    """What the days count from: `creation`, `last-use`, `permission-on` (a trade permission
    switched on), `chosen-date` (the expiry date set on the key) or `password-change`."""
    effect: str | None = None
    """What happens: `deleted`, `disabled` or `trading-off` (the key keeps reading)."""
    without_ip_whitelist: bool
    """True when the rule applies only to a key with no IP whitelist, so whitelisting stops it."""
    text: str
    """The rule in the guide's words (Markdown)."""
    section: str
    """The guide's section that explains it."""


class PermissionEntry(_Model):
    """One row of a guide's permission checklist, as the venue's form labels it."""

    label: str
    """The label exactly as the form shows it."""
    names: list[str] = []
    """Other names for it: the venue's help article's, API flags, older labels."""
    state: str
    """`required` (turn on), `optional`, `off`, `forbidden` (never turn on), `cannot` or `limited`
    (an agent wallet's fixed powers)."""
    capabilities: list[str]
    """What it lets a key do: `read`, `trade`, `withdraw`, `transfer`, ..."""


class RetiredEntry(_Model):
    """A venue that closed: its guide is a notice, and every address it published lands on it."""

    on: str
    """The date it closed (YYYY-MM-DD)."""
    what: str
    """What happened, in Markdown."""
    successor: str | None = None
    """The address of the guide its users moved to, where there is one."""


class VenueEntry(_Model):
    slug: str
    """The guide's permanent slug."""
    name: str
    """The guide's title, e.g. `Kraken Spot`."""
    venue: str
    product: str
    ccxt: list[str]
    """CCXT exchange ids that lead to this guide; `go/<id>/` is its short entry point."""
    legacy_ccxt: list[str] = []
    """Those of `ccxt` that CCXT has retired: still linked, no longer a CCXT exchange id."""
    aliases: list[str]
    """Other names of the venue."""
    former_slugs: list[str]
    """Slugs the guide had before; their addresses redirect to `path`."""
    verified: str
    """The date the guide was last checked against the venue (YYYY-MM-DD)."""
    path: str
    """The guide's address, relative to `site_url`."""
    go: dict[str, str]
    """The short entry point of each CCXT id."""
    sections: dict[str, str]
    """Each section's stable id and address."""
    errors: list[ErrorEntry]
    checks: dict[str, str] = {}
    """The platform-side checks shown first in the guide's Troubleshooting: id and address."""
    probe: ProbeEntry
    """How the app checks a pasted key's permissions on this venue (since format 2)."""
    lifecycle: list[LifecycleRule] = []
    """The rules that expire, disable or strip a key (since format 2)."""
    access: Literal["api-key", "agent-wallet"] = "api-key"
    """What the platform gets (since format 3): an `api-key` the venue issues, or for an on-chain
    venue an `agent-wallet`'s private key with the main wallet's address."""
    credentials: list[str] = []
    """The values the platform receives, by their CCXT names (since format 3), e.g. `apiKey`, `secret`,
    or `walletAddress` and `privateKey`."""
    never_share: list[str] = []
    """What the reader must never give the platform, as the venue names it (since format 3): an app
    can refuse a pasted value that looks like one, e.g. a seed phrase."""
    retired: RetiredEntry | None = None
    """Set when the venue closed (since format 3); the guide is then a notice."""
    permissions: list[PermissionEntry] = []
    """The guide's permission checklist, row by row (since format 3), at `sections.permissions`."""


class HelpIndex(_Model):
    """The machine-readable index of the site's help links, published as help/index.json."""

    format_version: Literal[3] = Field(
        description="Raised when fields are added or change; no field is removed or changes meaning, "
        "so a reader of an earlier version keeps working. The changelog is on the app developers page."
    )
    site_url: str
    """The site's address; every `path` is relative to it."""
    venues: list[VenueEntry]
    errors: dict[str, dict[str, str]]
    """Error lookup: CCXT id, then exact error string or code, then the entry's address."""


def help_index(guides: list[Guide], site_url: str, checks: list[PlatformCheck] | None = None) -> HelpIndex:
    venues = []
    for guide in guides:
        v = guide.venue
        page = guide.url
        held = {c.ccxt for c in v.credentials}
        venues.append(
            VenueEntry(
                slug=v.slug,
                name=v.name,
                venue=v.venue,
                product=v.product.value,
                ccxt=v.all_ccxt,
                legacy_ccxt=list(v.legacy_ccxt),
                aliases=list(v.aliases),
                former_slugs=list(v.former_slugs),
                verified=v.verified.isoformat(),
                path=page,
                go={ident: f"go/{ident}/" for ident in v.all_ccxt},
                sections={sid: f"{page}#{sid}" for sid, _ in guide.sections},
                errors=[
                    ErrorEntry(
                        id=anchor,
                        errors=list(t.errors),
                        ccxt_error=t.ccxt_error,
                        former_ids=list(t.former_ids),
                        path=f"{page}#{anchor}",
                    )
                    for anchor, t in zip(guide.trouble_ids, v.troubleshooting, strict=True)
                ],
                checks={c.id: f"{page}#{c.id}" for c in checks or [] if c.only is None or c.only in held},
                probe=_probe_entry(v, f"{page}#done"),
                lifecycle=[
                    LifecycleRule(
                        kind=r.kind,
                        days=r.days,
                        counts_from=r.counts_from,
                        effect=r.effect,
                        without_ip_whitelist=r.without_ip_whitelist,
                        text=r.text,
                        section=f"{page}#key-rules",
                    )
                    for r in v.rules
                    if r.kind in LIFECYCLE_KINDS
                ],
                access=v.access.value,
                credentials=[c.ccxt.value for c in v.credentials],
                never_share=[s.label for s in v.never_share],
                retired=_retired_entry(v),
                permissions=[
                    PermissionEntry(
                        label=p.label,
                        names=[*([p.article_label] if p.article_label else []), *p.aka],
                        state=p.state.value,
                        capabilities=sorted(c.value for c in p.capabilities),
                    )
                    for p in v.permissions
                ],
            )
        )
    lookup = {
        ident: {error: entry.path for entry in venue.errors for error in entry.errors}
        for venue in venues
        for ident in venue.ccxt
    }
    return HelpIndex(format_version=FORMAT_VERSION, site_url=site_url, venues=venues, errors=lookup)


def _retired_entry(venue: Venue) -> RetiredEntry | None:
    retired = venue.retired
    if retired is None:
        return None
    successor = f"exchanges/{retired.successor}/" if retired.successor else None
    return RetiredEntry(on=retired.on.isoformat(), what=retired.what, successor=successor)


# The rules of a key's life: the ones that end or strip it, not its limits.
LIFECYCLE_KINDS = ("expiry", "inactivity", "ip-whitelist", "password-change")


def _probe_entry(venue: Venue, section: str) -> ProbeEntry:
    probe = venue.probe
    if not isinstance(probe, Probe):
        return ProbeEntry(available=False, reason=probe.none, fallback=probe.fallback, section=section)
    return ProbeEntry(
        available=True,
        method=probe.method,
        path=probe.path,
        ccxt=probe.ccxt,
        needs=probe.needs,
        signals=[
            ProbeSignal(capability=sorted(s.capabilities), field=s.field, equals=s.equals, contains=s.contains)
            for s in probe.signals
        ],
        gaps=[ProbeGap(capability=g.capability, text=g.text) for g in probe.gaps],
        known=[ProbeKnown(field=k.field, values=list(k.values)) for k in probe.known],
        section=section,
    )


def help_index_schema() -> dict:
    schema = HelpIndex.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def redirects(guides: list[Guide]) -> dict[str, str]:
    """The redirect map (old Markdown path → new one) for mkdocs-redirects: /go/ entry points and old slugs."""
    found: dict[str, str] = {}
    for guide in guides:
        target = guide.src_uri
        for ident in guide.venue.all_ccxt:
            found[f"go/{ident}.md"] = target
            for sid, _ in guide.sections:
                found[f"go/{ident}/{sid}.md"] = f"{target}#{sid}"
            for anchor, trouble in zip(guide.trouble_ids, guide.venue.troubleshooting, strict=True):
                found[f"go/{ident}/{anchor}.md"] = f"{target}#{anchor}"
                for former in trouble.former_ids:
                    found[f"go/{ident}/{former}.md"] = f"{target}#{anchor}"
        for old in guide.venue.former_slugs:
            found[f"exchanges/{old}.md"] = target
    return found


def host_redirects(redirect_map: dict[str, str], prefix: str = "/") -> list[tuple[str, str]]:
    """The redirect map as (address, target) pairs from the site's root, for hosts that answer with
    a real 301: `go/kraken.md` → `exchanges/kraken-spot.md#permissions` becomes
    (`/go/kraken/`, `/exchanges/kraken-spot/#permissions`)."""

    def address(src: str) -> str:
        path, _, anchor = src.partition("#")
        stem = path.removesuffix(".md")
        stem = stem.removesuffix("index") if stem == "index" or stem.endswith("/index") else stem + "/"
        return prefix + stem + (f"#{anchor}" if anchor else "")

    return sorted((address(src), address(target)) for src, target in redirect_map.items())


def netlify_redirects(pairs: list[tuple[str, str]]) -> str:
    """`_redirects`, the format Netlify and Cloudflare Pages read: one `from to 301` rule a line."""
    return "".join(f"{source} {target} 301\n" for source, target in pairs)


# A redirect as a page: a refresh any static host serves, and a link for a reader whose browser
# ignores it. The script carries an anchor the reader's address had (/go/kraken/#x) to the target.
_REFRESH_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Redirecting…</title>
<meta name="robots" content="noindex">
<link rel="canonical" href="{url}">
<script>var u={js},a=location.hash;location.replace(u+(a&&u.indexOf("#")<0?a:""))</script>
<meta http-equiv="refresh" content="0; url={url}">
</head>
<body>This page moved to <a href="{url}">{url}</a>.</body>
</html>
"""


def refresh_pages(pairs: list[tuple[str, str]], prefix: str = "/") -> dict[str, str]:
    """The redirects as pages for any static host: output file → HTML, one page at each address of
    `pairs` (from host_redirects with the same `prefix`), pointing at its target by a relative URL."""
    pages = {}
    for source, target in pairs:
        path, _, anchor = target.partition("#")
        relative = posixpath.relpath(path, source) + "/" + (f"#{anchor}" if anchor else "")
        dest = source.removeprefix(prefix) + "index.html"
        js = json.dumps(relative).replace("<", "\\u003c")
        pages[dest] = _REFRESH_PAGE.format(url=html.escape(relative, quote=True), js=js)
    return pages


def nginx_redirects(pairs: list[tuple[str, str]]) -> str:
    """The body of an nginx `map $uri $key_guide_redirect { ... }` block: one `from to;` entry a line."""
    return "".join(f"{source} {target};\n" for source, target in pairs)


def published_links(index: HelpIndex, pages: list[str]) -> list[str]:
    """Every link the current data publishes: pages, guide sections and errors, and /go/ entry points."""
    links = set(pages)
    for venue in index.venues:
        links.add(venue.path)
        links.update(venue.sections.values())
        links.update(entry.path for entry in venue.errors)
        links.update(f"{venue.path}#{former}" for entry in venue.errors for former in entry.former_ids)
        links.update(venue.checks.values())
        for go in venue.go.values():
            links.add(go)
            links.update(f"{go}{sid}/" for sid in venue.sections)
            links.update(f"{go}{entry.id}/" for entry in venue.errors)
            links.update(f"{go}{former}/" for entry in venue.errors for former in entry.former_ids)
        links.update(f"exchanges/{old}/" for old in venue.former_slugs)
    return sorted(f"/{link}" for link in links)


def read_ledger(path: Path) -> list[str]:
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def write_ledger(path: Path, links: list[str]) -> None:
    path.write_text(LEDGER_HEADER + "".join(f"{link}\n" for link in sorted(set(links))), encoding="utf-8")


_REFRESH = re.compile(r'<meta http-equiv="refresh" content="0; url=([^"]+)">')
_ID = re.compile(r'\bid="([^"]+)"')


def resolve(site: Path, link: str) -> str | None:
    """Why `link` does not resolve in the built `site`, or None when it does (following redirects)."""
    path, _, anchor = link.removeprefix("/").partition("#")
    for _ in range(5):
        file = site / path / "index.html" if path == "" or path.endswith("/") else site / path
        if not file.is_file():
            # No page: a host following `_redirects` (with `redirects: host`) answers it with a 301.
            target = _host_rules(site).get(f"/{path}")
            if target is None:
                return f"no page at /{path}"
            path, _, target_anchor = target.removeprefix("/").partition("#")
            anchor = anchor or target_anchor
            continue
        if file.suffix != ".html":
            return None if not anchor else f"/{path} is not a page and has no anchors"
        html = file.read_text(encoding="utf-8")
        redirect = _REFRESH.search(html)
        if not redirect:
            if anchor and anchor not in _ID.findall(html):
                return f"/{path} has no element with id '{anchor}'"
            return None
        target, _, target_anchor = redirect.group(1).partition("#")
        base = path if path.endswith("/") else path.rsplit("/", 1)[0] + "/"
        path = _normalise(base + target)
        anchor = anchor or target_anchor
    return f"{link} redirects in a loop"


def _host_rules(site: Path) -> dict[str, str]:
    rules = site / "_redirects"
    if not rules.is_file():
        return {}
    stat = rules.stat()
    return _read_rules(rules, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=4)
def _read_rules(rules: Path, mtime: int, size: int) -> dict[str, str]:
    # Keyed by the file's time and size too, so a rebuilt site's rules are read afresh.
    return {line.split()[0]: line.split()[1] for line in rules.read_text(encoding="utf-8").splitlines() if line}


def _normalise(path: str) -> str:
    parts: list[str] = []
    for part in path.split("/"):
        if part == "..":
            if parts:
                parts.pop()
        elif part not in ("", "."):
            parts.append(part)
    return "/".join(parts) + ("/" if path.endswith("/") else "")


def index_json(index: HelpIndex) -> str:
    return json.dumps(index.model_dump(mode="json"), indent=1, ensure_ascii=False) + "\n"
