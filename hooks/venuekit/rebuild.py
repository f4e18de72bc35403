"""What a preview rebuild can skip: each page's inputs as one content hash, kept beside the output.

A preview (`./dev serve`, which builds in MkDocs' dirty mode) rewrites only the pages whose key
changed since the output folder was last written. A page's key hashes everything its HTML is made
of: its Markdown, and the site-wide inputs every page shares (the settings, the theme's overrides,
the navigation's shape, the venue problems shown on every page, the code). The keys live in a file
in the output folder itself, so they describe exactly the files beside them and never outlive them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

MANIFEST = ".venuekit-build.json"


def digest(*parts: str | bytes) -> str:
    """One hash of several inputs; each is length-prefixed so that no two lists of parts collide."""
    h = hashlib.sha256()
    for part in parts:
        data = part.encode("utf-8") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def tree_digest(paths: Iterable[Path]) -> str:
    """The hash of every file under `paths` (folders are walked), by relative name and content."""
    parts: list[str | bytes] = []
    for root in paths:
        files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                parts += [path.as_posix(), path.read_bytes()]
    return digest(*parts)


@dataclass
class Written:
    """A page as last written: its key, the title its navigation entry showed, and its output file."""

    key: str
    title: str
    dest: str


@dataclass
class Manifest:
    shared: str = ""
    pages: dict[str, Written] = field(default_factory=dict)
    # Each redirect page's output file and the hash of its content.
    redirects: dict[str, str] = field(default_factory=dict)

    @classmethod
    def read(cls, site_dir: Path) -> Manifest:
        """The manifest of the last build into `site_dir`; empty (everything is rebuilt) when there is
        none or it cannot be read."""
        try:
            data = json.loads((site_dir / MANIFEST).read_text(encoding="utf-8"))
            pages = {src: Written(**w) for src, w in data["pages"].items()}
            return cls(data["shared"], pages, dict(data["redirects"]))
        except (OSError, ValueError, KeyError, TypeError):
            return cls()

    def write(self, site_dir: Path) -> None:
        data = {
            "shared": self.shared,
            "pages": {src: vars(w) for src, w in sorted(self.pages.items())},
            "redirects": dict(sorted(self.redirects.items())),
        }
        (site_dir / MANIFEST).write_text(json.dumps(data, separators=(",", ":")), encoding="utf-8")

    def unchanged(self, src_uri: str, key: str, site_dir: Path) -> Written | None:
        """The page as last written, if its key is the same and its output file is still there."""
        written = self.pages.get(src_uri)
        if written is None or written.key != key or not (site_dir / written.dest).is_file():
            return None
        return written


def remove_outputs(site_dir: Path, dests: Iterable[str]) -> None:
    """Deletes output files that no page or redirect makes any more, and the folders they leave empty,
    so that a preview never serves a page whose venue or entry is gone."""
    for dest in dests:
        path = site_dir / dest
        path.unlink(missing_ok=True)
        folder = path.parent
        while folder != site_dir and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent


def write_changed(site_dir: Path, files: dict[str, str], before: dict[str, str]) -> dict[str, str]:
    """Writes each file whose content differs from `before` (output path → content hash) or whose
    output is missing; deletes those of `before` no longer in `files`. Returns the new hashes."""
    hashes = {}
    for dest, content in files.items():
        hashes[dest] = key = digest(content)
        path = site_dir / dest
        if before.get(dest) != key or not path.is_file():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(content, encoding="utf-8")
    remove_outputs(site_dir, set(before) - set(files))
    return hashes
