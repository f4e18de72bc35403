"""One build's view of the project: the platform settings, the checked venues and the pages made from them."""

from __future__ import annotations

import html
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import yaml
from pydantic import ValidationError

from .ccxtids import ccxt_certified
from .compare import index_rows, lifecycle_rows, permission_rows
from .links import (
    help_index,
    help_index_schema,
    host_redirects,
    index_json,
    netlify_redirects,
    nginx_redirects,
    published_links,
    redirects,
    refresh_pages,
)
from .lookup import lookup_files
from .model import SLUG_PATTERN, Platform, Requirement, Venue
from .rebuild import digest, tree_digest
from .render import Guide, Renderer, make_guide
from .validate import RESERVED_SLUGS, Problem, VenueErrors, read_venues

RULE_KINDS = {
    "expiry": "Expiry",
    "inactivity": "Inactivity",
    "ip-whitelist": "Without an IP whitelist",
    "password-change": "After a password or security change",
    "limit": "Limit",
    "other": "Rule",
}
PUBLISHERS = {"venue": "the venue's own page", "platform": "a trading platform's guide", "third-party": "third party"}

# The navigation lists venues by these ranges of initial letters, so its size never grows.
LETTER_GROUPS: tuple[tuple[str, str], ...] = (("a", "f"), ("g", "l"), ("m", "r"), ("s", "z"))


@dataclass(frozen=True)
class Page:
    src_uri: str
    content: str
    edit_path: str
    in_nav: bool = False


@dataclass
class Site:
    root: Path
    docs_dir: Path
    platform: Platform
    guides: list[Guide]
    renderer: Renderer
    today: date = field(default_factory=date.today)
    problems: list[Problem] = field(default_factory=list)
    """Only when loaded with `lenient`: the problems of the files left out, shown on the pages instead."""
    broken: dict[str, set[str]] = field(default_factory=dict)

    @property
    def current(self) -> list[Guide]:
        """The guides of venues still open: the tables, comparisons and counts are of these."""
        return [g for g in self.guides if not g.venue.retired]


def letter_group(name: str) -> tuple[str, str]:
    """The range of initials, from LETTER_GROUPS, that lists a venue of this name."""
    initial = name[:1].lower()
    return next(((first, last) for first, last in LETTER_GROUPS if initial <= last), LETTER_GROUPS[-1])


def load_site(
    config_file: Path, docs_dir: Path, extra: dict[str, Any], today: date | None = None, lenient: bool = False
) -> Site:
    """Everything a build needs, checked; raises VenueErrors with every problem found.

    With `lenient` (a preview while a maintainer edits), a venue file with problems is left out instead,
    and its problems are kept for the pages to show; the platform settings must still be valid."""
    root = config_file.parent
    platform = load_platform(extra, config_file.name)
    result = read_venues(root / "exchanges", root, platform.supports)
    if result.problems and not lenient:
        raise VenueErrors(result.problems)
    renderer = Renderer.for_templates(root / "templates", platform)
    guides = [make_guide(lv) for lv in result.venues]
    return Site(root, docs_dir, platform, guides, renderer, today or date.today(), result.problems, result.broken)


def read_config(config_file: Path) -> dict[str, Any]:
    """mkdocs.yml as plain data, for commands that run outside MkDocs."""

    class Loader(yaml.SafeLoader):
        pass

    # Tags only MkDocs understands (!ENV, !!python/name:...) read as empty: the settings we read are plain.
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)
    return yaml.load(config_file.read_text(encoding="utf-8"), Loader=Loader) or {}


def read_extra(config_file: Path) -> dict[str, Any]:
    return read_config(config_file).get("extra") or {}


def load_platform(extra: dict[str, Any], config_name: str) -> Platform:
    try:
        return Platform.model_validate(extra.get("platform"))
    except ValidationError as err:
        problems = [
            Problem(config_name, None, "extra.platform." + ".".join(str(p) for p in e["loc"]), e["msg"])
            for e in err.errors()
        ]
        raise VenueErrors(problems) from None


def stale_guides(site: Site) -> list[tuple[Guide, int]]:
    """Guides verified longer ago than the platform allows, with their age in days, oldest first."""
    limit = site.platform.stale_after_days
    aged = [(g, (site.today - g.venue.verified).days) for g in site.current]
    return sorted(((g, age) for g, age in aged if age > limit), key=lambda item: -item[1])


def third_party_labels(venue: Venue) -> list[tuple[str, str, list[str]]]:
    """The form labels a reader is told to look for whose every cited source is someone other than
    the venue: (field, label, source ids). The venue's own pages are the ones to check them against."""
    publisher = {s.id: s.publisher for s in venue.sources}
    cited: list[tuple[str, str, list[str]]] = []
    cited += [(f"permissions[{i}]", p.label, p.sources) for i, p in enumerate(venue.permissions)]
    cited += [(f"settings[{i}]", s.label, s.sources) for i, s in enumerate(venue.settings)]
    cited += [(f"credentials[{i}]", c.label, c.sources) for i, c in enumerate(venue.credentials)]
    cited.append(("location.path", " › ".join(venue.location.path.labels), venue.location.path.sources))
    if venue.ip_whitelist.field:
        cited.append(("ip_whitelist", venue.ip_whitelist.field, venue.ip_whitelist.sources))
    return [(f, label, refs) for f, label, refs in cited if all(publisher[r] != "venue" for r in refs)]


# The last build's guides, as Markdown, by everything they are made of (see build_pages).
_rendered: dict[str, str] = {}


def _successor(guide: Guide) -> str:
    return (guide.venue.retired.successor or "") if guide.venue.retired else ""


def build_pages(site: Site) -> list[Page]:
    """Every generated page: a guide per venue, the venue index, the comparisons and the letter groups."""
    guides = site.guides
    by_slug = {g.venue.slug: g for g in guides}
    stale = {g.venue.slug for g, _ in stale_guides(site)}
    guide_template = site.renderer.template("guide.md.j2")
    retired_template = site.renderer.template("guide_retired.md.j2")
    shared = digest(tree_digest([site.root / "templates"]), site.platform.model_dump_json())
    rendered: dict[str, str] = {}
    pages = []
    for guide in guides:
        # A guide is made of its venue file, the files of the guides it links to and the templates:
        # while none of them changes, a preview reuses the guide's Markdown from the last build.
        linked = [by_slug[s] for s in (*(r.slug for r in guide.venue.related), _successor(guide)) if s in by_slug]
        key = digest(shared, guide.digest, *(g.digest for g in linked), str(guide.venue.slug in stale))
        if guide.digest and key in _rendered:
            rendered[key] = _rendered[key]
            pages.append(Page(guide.src_uri, rendered[key], _rel(site, site.root / guide.source_file)))
            continue
        if retired := guide.venue.retired:
            content = retired_template.render(
                platform=site.platform,
                guide=guide,
                successor=by_slug.get(retired.successor or ""),
                anchors=retired_anchors(guide, site.platform),
                publishers=PUBLISHERS,
            )
            rendered[key] = content
            pages.append(Page(guide.src_uri, content, _rel(site, site.root / guide.source_file)))
            continue
        related = [{"guide": by_slug[r.slug], "link": r} for r in guide.venue.related if r.slug in by_slug]
        content = guide_template.render(
            platform=site.platform,
            guide=guide,
            related=related,
            stale=guide.venue.slug in stale,
            rule_kinds=RULE_KINDS,
            publishers=PUBLISHERS,
        )
        rendered[key] = content
        pages.append(Page(guide.src_uri, content, _rel(site, site.root / guide.source_file)))
    _rendered.clear()
    _rendered.update(rendered)
    index_edit = _rel(site, site.root / "templates" / "venue_index.md.j2")
    # Retired venues keep their pages and are listed apart; the tables and comparisons are of live ones.
    current = site.current
    index = site.renderer.render(
        "venue_index.md.j2",
        guides=current,
        retired=[g for g in guides if g.venue.retired],
        rows=index_rows(current),
        products=sorted({g.venue.product.value for g in current}),
        requirements=[(r.value, r.value.capitalize()) for r in Requirement],
    )
    pages.append(Page("exchanges/index.md", index, index_edit, True))
    group_edit = _rel(site, site.root / "templates" / "venue_group.md.j2")
    comparisons = (
        ("compare/permissions.md", "compare_permissions.md.j2", permission_rows),
        ("compare/key-lifecycle.md", "compare_lifecycle.md.j2", lifecycle_rows),
    )
    for src_uri, template, rows in comparisons:
        content = site.renderer.render(template, rows=rows(current))
        pages.append(Page(src_uri, content, _rel(site, site.root / "templates" / template), True))
    for first, last in LETTER_GROUPS:
        members = [g for g in guides if letter_group(g.venue.name) == (first, last)]
        content = site.renderer.render("venue_group.md.j2", guides=members, first=first, last=last)
        pages.append(Page(f"exchanges/{first}-{last}.md", content, group_edit, True))
    return pages + problem_pages(site, set(by_slug))


def retired_anchors(guide: Guide, platform: Platform) -> list[str]:
    """Every anchor a retired venue's guide published, so that links to any of them land on its notice."""
    held = {c.ccxt for c in guide.venue.credentials}
    anchors = [sid for sid, _ in guide.sections if sid != "sources"]
    anchors += [c.id for c in platform.checks if c.only is None or c.only in held]
    for anchor, trouble in zip(guide.trouble_ids, guide.venue.troubleshooting, strict=True):
        anchors += [anchor, *trouble.former_ids]
    return anchors


def problem_pages(site: Site, taken: set[str]) -> list[Page]:
    """Under a lenient load, a page at each address a broken file's guide would have, showing its problems."""
    pages = []
    for name, slugs in sorted(site.broken.items()):
        found = [p for p in site.problems if p.file == name]
        for slug in sorted(slugs - taken - RESERVED_SLUGS):
            if re.match(SLUG_PATTERN, slug):
                content = site.renderer.render("venue_problems.md.j2", file=name, problems=found)
                pages.append(Page(f"exchanges/{slug}.md", content, _rel(site, site.root / name)))
    return pages


# The app's files, published: their addresses are in the ledger and never change.
HELP_FILES = ("help/index.json", "help/index.schema.json")


def data_files(site: Site, site_url: str) -> dict[str, str]:
    """Every file the build writes besides pages, from one help index: the app's index and its JSON
    Schema, the pages' lookup (docs/assets/error-lookup.js reads it: the index cut to the fields it
    uses, in shards), and the redirects as host configuration, for hosts that send a real 301 instead of the
    refresh pages (Netlify's and Cloudflare Pages' `_redirects`, and an nginx map)."""
    index = help_index(site.guides, site_url, site.platform.checks)
    keep = {
        "slug": True,
        "name": True,
        "venue": True,
        "ccxt": True,
        "sections": {"permissions"},
        "errors": {"__all__": {"errors", "path"}},
        "permissions": {"__all__": {"label", "names", "state"}},
    }
    lookup = [v.model_dump(include=keep) for v in index.venues]
    pairs = host_redirects(redirects(site.guides), urlparse(site_url).path or "/")
    files = dict(zip(HELP_FILES, (index_json(index), json.dumps(help_index_schema(), indent=1) + "\n"), strict=True))
    files |= lookup_files(lookup)
    return files | {"_redirects": netlify_redirects(pairs), "redirects.nginx.map": nginx_redirects(pairs)}


def redirect_pages(site: Site, site_url: str) -> dict[str, str]:
    """The refresh page at each /go/ address and former slug (output file → HTML), unless the
    platform's host answers them with real 301s (`redirects: host`)."""
    if site.platform.redirects == "host":
        return {}
    prefix = urlparse(site_url).path or "/"
    return refresh_pages(host_redirects(redirects(site.guides), prefix), prefix)


def site_links(site: Site, site_url: str) -> list[str]:
    """Every link the site publishes from the current data and docs/, relative to the site's root."""
    pages = [_url(p.src_uri) for p in build_pages(site)]
    pages += [_url(p.relative_to(site.docs_dir).as_posix()) for p in site.docs_dir.rglob("*.md")]
    return published_links(help_index(site.guides, site_url, site.platform.checks), [*pages, *HELP_FILES])


def _url(src_uri: str) -> str:
    # The address MkDocs gives a Markdown file with directory URLs.
    stem = src_uri.removesuffix(".md")
    if stem == "index" or stem.endswith("/index"):
        return stem.removesuffix("index")
    return stem + "/"


def problems_banner(problems: list[Problem], shown: int = 12) -> str:
    """The HTML box a preview puts at the top of every page while venue files have problems."""
    count = len(problems)
    items = "".join(f"<li><code>{html.escape(str(p))}</code></li>" for p in problems[:shown])
    more = f"<li>and {count - shown} more: run <code>./dev validate</code></li>" if count > shown else ""
    title = f"{count} problem{'s' if count != 1 else ''} in the venue files: their guides are left out"
    return (
        f'<div class="admonition failure venue-problems" role="alert"><p class="admonition-title">{title}</p>'
        f"<ul>{items}{more}</ul></div>"
    )


def venue_table(site: Site) -> str:
    """The Markdown table of every venue that the home page shows, under how many of the exchanges
    CCXT certifies have a guide."""
    certified = ccxt_certified()
    current = site.current
    covered = certified & {ident for g in current for ident in g.venue.ccxt}
    return site.renderer.render(
        "venue_table.md.j2",
        guides=current,
        base="exchanges/",
        certified=sorted(certified),
        missing=sorted(certified - covered),
    )


def _rel(site: Site, path: Path) -> str:
    # Edit links are relative to the docs folder; the data lives beside it.
    return Path(os.path.relpath(path, site.docs_dir)).as_posix()
