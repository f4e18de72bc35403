"""`./dev serve` rebuilds a guide when its venue file or a template is saved, and survives a broken file."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator

import pytest

from conftest import BUILD_ENV, Project


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.read().decode("utf-8")


def _wait_for(url: str, text: str, seconds: float = 60) -> str:
    deadline = time.monotonic() + seconds
    page = ""
    while time.monotonic() < deadline:
        try:
            page = _get(url)
            if text in page:
                return page
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{url} did not show {text!r} within {seconds} s")


@pytest.fixture
def served(project: Project) -> Iterator[tuple[Project, str]]:
    port = _free_port()
    command = [
        sys.executable,
        "-m",
        "mkdocs",
        "serve",
        "-a",
        f"127.0.0.1:{port}",
        "-f",
        str(project.root / "mkdocs.yml"),
    ]
    with (project.root / "serve.log").open("w") as log:
        server = subprocess.Popen(command, cwd=project.root, env=BUILD_ENV, stdout=log, stderr=subprocess.STDOUT)
        try:
            yield project, f"http://127.0.0.1:{port}/"
        finally:
            server.terminate()
            server.wait(timeout=10)


def test_saving_a_venue_file_rebuilds_its_guide(served: tuple[Project, str]) -> None:
    project, base = served
    url = base + "exchanges/kraken-spot/"
    _wait_for(url, "Kraken Futures needs a key of its own")
    project.edit("exchanges/kraken-spot.yml", "Kraken Futures needs a key of its own.", "Edited while serving.")
    _wait_for(url, "Edited while serving.")


def test_saving_a_template_rebuilds_the_guides(served: tuple[Project, str]) -> None:
    project, base = served
    url = base + "exchanges/kraken-futures/"
    _wait_for(url, "Where keys are made")
    project.edit("templates/guide.md.j2", "## Where keys are made", "## Where the keys live")
    _wait_for(url, "Where the keys live")


def test_a_broken_file_under_serve_is_reported_and_the_fix_is_picked_up(served: tuple[Project, str]) -> None:
    project, base = served
    url = base + "exchanges/kraken-spot/"
    _wait_for(url, "Kraken Futures needs a key of its own")
    project.edit("exchanges/kraken-spot.yml", "venue: Kraken\n", "venue: [Kraken\n")
    log = project.root / "serve.log"
    deadline = time.monotonic() + 60
    while "1 problem in the venue files:" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert "exchanges/kraken-spot.yml:32: YAML syntax error" in log.read_text()
    project.edit("exchanges/kraken-spot.yml", "venue: [Kraken\n", "venue: Kraken\n")
    project.edit("exchanges/kraken-spot.yml", "Kraken Futures needs a key of its own.", "Fixed again.")
    _wait_for(url, "Fixed again.")
