"""Shared fixtures: a throw-away copy of the project, and one strict build of the real site."""

from __future__ import annotations

import html as html_lib
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("mkdocs.yml", "hooks", "templates", "docs", "overrides", "exchanges", "schema")
BUILD_ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1")


@dataclass
class Project:
    """A copy of the project in a temporary folder, to change and build without touching the real one."""

    root: Path

    @property
    def site(self) -> Path:
        return self.root / "site"

    def venue(self, slug: str) -> Path:
        return self.root / "exchanges" / f"{slug}.yml"

    def edit(self, relative: str, old: str, new: str, count: int = 1) -> None:
        path = self.root / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{relative} no longer contains {old!r}; update the test"
        path.write_text(text.replace(old, new, count), encoding="utf-8")

    def build(self, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "mkdocs", "build", "--strict", "-f", str(self.root / "mkdocs.yml")]
        command += ["-d", str(self.site), *args]
        env = {**BUILD_ENV, **(env or {})}
        return subprocess.run(command, cwd=self.root, env=env, capture_output=True, text=True, timeout=600)

    def page(self, url: str) -> str:
        return (self.site / url / "index.html").read_text(encoding="utf-8")


def copy_project(target: Path) -> Project:
    target.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for part in PROJECT_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=ignore)
        elif source.exists():
            shutil.copy2(source, target / part)
    return Project(target)


@pytest.fixture
def project(tmp_path: Path) -> Project:
    return copy_project(tmp_path / "project")


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Project:
    """The real site, built once with --strict for every test that reads pages."""
    built = copy_project(tmp_path_factory.mktemp("built"))
    result = built.build()
    assert result.returncode == 0, f"the real site does not build:\n{result.stderr}"
    return built


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.extend(value for name, value in attrs if name == "id" and value)


def element_ids(html: str) -> list[str]:
    parser = _Ids()
    parser.feed(html)
    return parser.ids


def section(html: str, anchor: str) -> str:
    """The HTML from the heading with id `anchor` to the next heading of the same or a higher level."""
    match = re.search(rf'<h([1-6])[^>]*\bid="{re.escape(anchor)}"', html)
    assert match, f"no heading with id {anchor!r}"
    level = int(match.group(1))
    rest = html[match.end() :]
    end = re.search(rf"<h[1-{level}][\s>]", rest)
    return rest[: end.start()] if end else rest


def visible_text(html: str) -> str:
    text = re.sub(r"<script.*?</script>|<style.*?</style>", " ", html, flags=re.DOTALL)
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html_lib.unescape(text).split())
