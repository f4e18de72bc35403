"""The site's search: a Pagefind index of the built site, and the worker that answers Material's search
dialog from it.

Material's own search downloads one index of every page on the first search, which grows with the
site (27 MB at 1,000 venues). Pagefind splits its index into chunks by word and its text into one
fragment per page, so a query loads only the chunks its words fall in and the fragments of the
results it shows. The site's worker (docs/assets/search-worker.js) speaks Material's worker protocol
and answers from Pagefind, so the dialog, its keyboard use and its look stay Material's.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

# Where Pagefind writes its bundle, inside the site.
BUNDLE = "pagefind"
# Only a page's main content is indexed: pages without it (redirect stubs) are left out, and so is a
# page whose content is all ignored (the 404 page).
ROOT_SELECTOR = "article.md-content__inner"
# Inside it: what the search plugin also left out (citation numbers, the paste box), the heading
# permalinks' pilcrows, the edit button and the guide's jump list, which only repeats the headings.
IGNORED = ("[data-search-exclude]", ".headerlink", ".md-content__button", "details.on-this-page")
# Pagefind's own search interfaces, which the site does not use.
UNUSED = ("pagefind-ui.*", "pagefind-modular-ui.*", "pagefind-component-ui.*", "pagefind-highlight.js")
# The site's worker takes the place of Material's, which Material's dialog starts.
WORKER = "assets/search-worker.js"
MATERIAL_WORKERS = "assets/javascripts/workers"


class SearchError(Exception):
    """The search index could not be built; the message says what to check."""


def index_site(site_dir: Path) -> None:
    """Indexes every page of the built site in `site_dir` with Pagefind, into `site_dir/pagefind/`.
    One call on the whole folder, as `mkdocs serve` rebuilds it too. The new bundle is written beside
    the old one and swapped in whole, so a preview's search never reads half of each."""
    staged, old = site_dir / f"{BUNDLE}.new", site_dir / f"{BUNDLE}.old"
    shutil.rmtree(staged, ignore_errors=True)
    command = [sys.executable, "-m", "pagefind", "--site", str(site_dir), "--output-subdir", staged.name]
    command += ["--root-selector", ROOT_SELECTOR, "--force-language", "en", "--quiet"]
    for selector in IGNORED:
        command += ["--exclude-selectors", selector]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0 or not (staged / "pagefind-entry.json").exists():
        output = (result.stderr or result.stdout).strip()
        shutil.rmtree(staged, ignore_errors=True)
        raise SearchError(f"Pagefind could not index the site in {site_dir}: {output or 'no index written'}")
    for pattern in UNUSED:
        for path in staged.glob(pattern):
            path.unlink()
    shutil.rmtree(old, ignore_errors=True)
    if (site_dir / BUNDLE).exists():
        (site_dir / BUNDLE).rename(old)
    staged.rename(site_dir / BUNDLE)
    shutil.rmtree(old, ignore_errors=True)


def install_worker(site_dir: Path) -> None:
    """Puts the site's worker in the place of Material's search worker, and cuts Material's search
    index to its configuration: the worker reads Pagefind's index instead."""
    ours = site_dir / WORKER
    workers = sorted((site_dir / MATERIAL_WORKERS).glob("search.*.min.js"))
    if not ours.exists() or not workers:
        raise SearchError(
            f"{WORKER} or Material's search worker ({MATERIAL_WORKERS}/search.*.min.js) is missing from the "
            "built site; check venuekit.search against this Material release"
        )
    for worker in workers:
        worker.write_bytes(ours.read_bytes())
        worker.with_name(worker.name + ".map").unlink(missing_ok=True)
    index = site_dir / "search" / "search_index.json"
    config = json.loads(index.read_text(encoding="utf-8"))["config"]
    index.write_text(json.dumps({"config": config, "docs": []}, separators=(",", ":")), encoding="utf-8")
