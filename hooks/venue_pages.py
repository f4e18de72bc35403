"""MkDocs hook: the venue guides and the pages built from all venues, generated from exchanges/*.yml.

The events come first; the work is done by the `venuekit` package beside this file.
"""

from __future__ import annotations

import importlib
import logging
import os
import sys
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.pages import Page

from venuekit.links import redirects
from venuekit.sanitize import clean_html
from venuekit.search import SearchError, index_site, install_worker
from venuekit.site import (
    Site,
    build_pages,
    data_files,
    load_site,
    problems_banner,
    stale_guides,
    venue_table,
)
from venuekit.staging import Staging
from venuekit.validate import VenueErrors
from venuekit.yamlfile import paused_gc

_PACKAGE = Path(__file__).parent / "venuekit"


def _code_stamp() -> tuple[tuple[str, int, int], ...]:
    return tuple(sorted((p.name, p.stat().st_mtime_ns, p.stat().st_size) for p in _PACKAGE.glob("*.py")))


_loaded_code = _code_stamp()

# This build's data, read afresh by on_config at every build.
_site: Site | None = None
# `mkdocs build` writes into a staging folder, swapped in by on_shutdown only if the build passed.
_staging: Staging | None = None
_command = ""
# Set for the whole `mkdocs serve` process, which calls on_startup only once, so that every rebuild
# can read it. It holds the serving process's id, so neither a child process nor a hand-set
# variable turns a build lenient.
PREVIEW = "VENUE_PAGES_PREVIEW"


def on_startup(command: str, dirty: bool) -> None:
    global _command
    # serve builds into its own temporary folder; a dirty build updates site/ in place by design.
    _command = "" if dirty else command
    if command == "serve":
        os.environ[PREVIEW] = str(os.getpid())


def _reload_venuekit() -> None:
    """MkDocs loads this hook once per process, and Python keeps the modules it imported: under
    serve, an edit to venuekit's code would run only after a restart. When the package's files
    changed since they were imported, import them afresh and rebind the names this hook uses."""
    global _loaded_code
    stamp = _code_stamp()
    if stamp == _loaded_code:
        return
    for name in [m for m in sys.modules if m == "venuekit" or m.startswith("venuekit.")]:
        del sys.modules[name]
    # The functions and classes this hook imported from venuekit, by the name it imported them as.
    used = {
        n: v.__module__
        for n, v in globals().items()
        if getattr(v, "__name__", None) == n and getattr(v, "__module__", "").startswith("venuekit.")
    }
    sys.path.insert(0, str(_PACKAGE.parent))
    try:
        globals().update({n: getattr(importlib.import_module(module), n) for n, module in used.items()})
    finally:
        sys.path.remove(str(_PACKAGE.parent))
    _loaded_code = stamp


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    global _site, _staging
    _reload_venuekit()
    if _command == "build":
        _staging = Staging(Path(config.site_dir), strict=bool(config.strict))
        config.site_dir = str(_staging.start())
        logging.getLogger("mkdocs").addHandler(_staging.warnings)
    # A preview keeps answering while a venue file is broken: that file's page, and a banner on every
    # page, show its problems until it is fixed. A build refuses it.
    preview = os.environ.get(PREVIEW) == str(os.getpid())
    try:
        _site = load_site(Path(config.config_file_path), Path(config.docs_dir), config.extra, lenient=preview)
    except VenueErrors as err:
        raise PluginError(err.report()) from None
    if _site.problems:
        print(f"ERROR   -  {VenueErrors(_site.problems).report()}", file=sys.stderr)
    # The /go/ entry points and former slugs are redirects, written by mkdocs-redirects.
    redirect_maps = config.plugins["redirects"].config["redirect_maps"]
    redirect_maps.update(redirects(_site.guides))
    # The 404 page lists every guide, so a reader who followed a broken link still finds their venue.
    config.extra["guide_links"] = [(g.venue.name, g.url) for g in _site.guides]
    # The app-developer page includes the tested examples from docs/examples.
    config.mdx_configs.setdefault("pymdownx.snippets", {})["base_path"] = [str(Path(config.docs_dir) / "examples")]
    for guide, age in stale_guides(_site):
        # Printed, not logged: `mkdocs build --strict` fails on logged warnings, and a stale guide
        # must never block a release.
        print(
            f"WARNING -  {guide.source_file} was last verified {age} days ago "
            f"(limit {_site.platform.stale_after_days}): check it against the venue and update `verified`",
            file=sys.stderr,
        )
    return config


# Before other plugins' on_files, so mkdocs-redirects sees the generated pages its redirects point at.
@event_priority(100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    assert _site is not None
    with paused_gc():
        for page in build_pages(_site):
            inclusion = InclusionLevel.UNDEFINED if page.in_nav else InclusionLevel.NOT_IN_NAV
            file = File.generated(config, page.src_uri, content=page.content, inclusion=inclusion)
            file.edit_uri = page.edit_path
            files.append(file)
        for name, content in data_files(_site, config.site_url or "").items():
            files.append(File.generated(config, name, content=content))
    return files


def on_post_build(config: MkDocsConfig) -> None:
    # Search reads a Pagefind index of the built pages, through the site's worker in Material's dialog.
    try:
        install_worker(Path(config.site_dir))
        index_site(Path(config.site_dir))
    except SearchError as err:
        raise PluginError(str(err)) from None
    if _staging is not None:
        _staging.finished = True


def on_shutdown() -> None:
    global _staging
    if _staging is not None:
        logging.getLogger("mkdocs").removeHandler(_staging.warnings)
        _staging.end()
        _staging = None


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    # Pages made from venue data (the generated ones and the home page's table) are sanitised.
    if page.file.generated_by or page.file.src_uri == "index.md":
        html = clean_html(html)
    if _site is not None and _site.problems:
        html = problems_banner(_site.problems) + html
    return html


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    assert _site is not None
    if page.file.src_uri == "index.md":
        return markdown.replace("<!-- venue-table -->", venue_table(_site))
    return markdown
