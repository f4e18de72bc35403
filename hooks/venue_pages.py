"""MkDocs hook: the venue guides and the pages built from all venues, generated from exchanges/*.yml.

The events come first; the work is done by the `venuekit` package beside this file.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import sys
import threading
from pathlib import Path

import jinja2
from mkdocs.commands.build import _populate_page
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority
from mkdocs.structure.files import File, Files, InclusionLevel
from mkdocs.structure.nav import Link, Navigation, Section
from mkdocs.structure.pages import Page

from venuekit.rebuild import Manifest, Written, digest, remove_outputs, tree_digest, write_changed
from venuekit.render import COMPILED
from venuekit.sanitize import clean_html
from venuekit.search import SearchError, index_site, install_worker
from venuekit.site import (
    Site,
    build_pages,
    data_files,
    load_site,
    problems_banner,
    redirect_pages,
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
# A dirty build (`./dev serve`): only the pages whose inputs changed are rewritten (venuekit.rebuild).
_dirty = False
_manifest = Manifest()
# This build's pages that MkDocs renders again: src_uri → the key they are written under.
_rebuilt: dict[str, str] = {}
# This build's pages, and the navigation titles the manifest had for them.
_pages: dict[str, File] = {}
_titles: dict[str, str] = {}
# A preview's search index, made after the build that it indexes (see on_post_build).
_indexing: threading.Thread | None = None
# Set for the whole `mkdocs serve` process, which calls on_startup only once, so that every rebuild
# can read it. It holds the serving process's id, so neither a child process nor a hand-set
# variable turns a build lenient.
PREVIEW = "VENUE_PAGES_PREVIEW"


def on_startup(command: str, dirty: bool) -> None:
    global _command, _dirty
    # serve builds into its own temporary folder; a dirty build updates site/ in place by design.
    _command = "" if dirty else command
    _dirty = dirty
    if command == "serve":
        os.environ[PREVIEW] = str(os.getpid())
    if dirty:
        # MkDocs warns that a dirty build may leave navigation stale; this hook rebuilds what it must.
        logging.getLogger("mkdocs.commands.build").addFilter(_no_dirty_warning)


def _no_dirty_warning(record: logging.LogRecord) -> bool:
    return not record.getMessage().startswith("A 'dirty' build is being performed")


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
    _finish_indexing()
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


@event_priority(-100)
def on_nav(nav: Navigation, config: MkDocsConfig, files: Files) -> Navigation:
    """In a dirty build, tells MkDocs which pages to render again: those whose key changed. The
    others keep their output file, and their navigation title from the manifest."""
    global _manifest, _pages, _titles
    _rebuilt.clear()
    if not _dirty:
        return nav
    site_dir = Path(config.site_dir)
    _manifest = Manifest.read(site_dir)
    _titles = {src: w.title for src, w in _manifest.pages.items()}
    shared = _shared_key(nav, config)
    pages = [f for f in files.documentation_pages() if f.page is not None]
    _pages = {f.src_uri: f for f in pages}
    for file in pages:
        key = digest(shared, file.src_uri, _markdown_source(file), file.edit_uri or "")
        written = _manifest.unchanged(file.src_uri, key, site_dir) if _manifest.shared == shared else None
        if written is None:
            _rebuilt[file.src_uri] = key
            file.is_modified = _yes
        else:
            file.is_modified = _no
            file.page.title = written.title
    remove_outputs(site_dir, [w.dest for src, w in _manifest.pages.items() if src not in _pages])
    _manifest.shared = shared
    _manifest.pages = {src: w for src, w in _manifest.pages.items() if src not in _rebuilt}
    return nav


def on_env(env: jinja2.Environment, config: MkDocsConfig, files: Files) -> jinja2.Environment:
    # The theme's templates, compiled once per content for the whole serve (venuekit.render).
    env.bytecode_cache = COMPILED
    # Every page shows every page's title in its navigation: when a rebuilt page's title changed,
    # the pages kept as they were are stale too, and are rendered again.
    if _dirty and any(_titles.get(src) != _pages[src].page.title for src in _rebuilt):
        for src, file in _pages.items():
            if src not in _rebuilt:
                _rebuilt[src] = _manifest.pages.pop(src).key
                file.is_modified = _yes
                _populate_page(file.page, config, files)
    return env


# After the search plugin's, whose index install_worker cuts to its configuration.
def on_post_build(config: MkDocsConfig) -> None:
    site_dir = Path(config.site_dir)
    assert _site is not None
    pages = redirect_pages(_site, config.site_url or "")
    _manifest.redirects = write_changed(site_dir, pages, _manifest.redirects if _dirty else {})
    if _dirty:
        for src, key in _rebuilt.items():
            file = _pages[src]
            _manifest.pages[src] = Written(key, file.page.title or "", file.dest_uri)
        _manifest.write(site_dir)
    # Search reads a Pagefind index of the built pages, through the site's worker in Material's dialog.
    try:
        install_worker(site_dir)
        if not _dirty:
            index_site(site_dir)
    except SearchError as err:
        raise PluginError(str(err)) from None
    if _dirty:
        # A preview serves the rebuilt pages at once; their search index follows about a second later.
        _start_indexing(site_dir)
    if _staging is not None:
        _staging.finished = True


def _yes() -> bool:
    return True


def _no() -> bool:
    return False


def _shared_key(nav: Navigation, config: MkDocsConfig) -> str:
    """The hash of what every page is made of besides its own Markdown: the settings, the theme's
    overrides, the snippets, this hook and venuekit, the problems banner and the navigation's shape."""
    assert _site is not None
    here = Path(__file__)
    theme = [Path(config.theme.custom_dir)] if config.theme.custom_dir else []
    return digest(
        Path(config.config_file_path).read_bytes(),
        json.dumps(config.extra, sort_keys=True, default=str),
        tree_digest([*theme, Path(config.docs_dir) / "examples", here, _PACKAGE]),
        problems_banner(_site.problems) if _site.problems else "",
        json.dumps(_nav_shape(nav.items)),
    )


def _nav_shape(items: list) -> list:
    # Sections and links by title, pages by source: a page's own title is checked after rendering.
    return [
        [i.title, _nav_shape(i.children)]
        if isinstance(i, Section)
        else [i.title, i.url]
        if isinstance(i, Link)
        else i.file.src_uri
        for i in items
    ]


def _markdown_source(file: File) -> bytes:
    if file.generated_by:
        return file.content_bytes
    source = Path(file.abs_src_path or "").read_bytes()
    if file.src_uri == "index.md" and _site is not None:
        source += venue_table(_site).encode("utf-8")
    return source


def _start_indexing(site_dir: Path) -> None:
    global _indexing
    _finish_indexing()
    _indexing = threading.Thread(target=_index_or_report, args=(site_dir,), daemon=True)
    _indexing.start()


def _index_or_report(site_dir: Path) -> None:
    try:
        index_site(site_dir)
    except SearchError as err:
        print(f"ERROR   -  {err}", file=sys.stderr)


def _finish_indexing() -> None:
    # A build never writes pages while Pagefind reads them: it waits for the last index first.
    if _indexing is not None:
        _indexing.join()


def on_shutdown() -> None:
    _finish_indexing()
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
