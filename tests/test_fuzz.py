"""Property-based fuzzing of real venue files: every mutation is either refused with a clean
`file:line: field:` error (and the build exits non-zero, leaving site/ alone), or it builds pages
that keep the safety rule and carry no script, event handler or non-https link from the data.

Bounded in the normal suite; `FUZZ_EXAMPLES=2000 ./dev test tests/test_fuzz.py` runs it longer.
Cases it found are kept in tests/fuzz-corpus (Hypothesis' example database) and replayed first.
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.database import DirectoryBasedExampleDatabase, ReadOnlyDatabase

from conftest import ROOT, Project, copy_project
from venuekit.site import build_pages, load_site, read_extra
from venuekit.validate import VenueErrors

SPOT = ROOT / "exchanges" / "kraken-spot.yml"
LINES = SPOT.read_text(encoding="utf-8").splitlines(keepends=True)
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
# The normal suite replays the corpus without changing it; a long run (FUZZ_EXAMPLES) adds its finds.
CORPUS = DirectoryBasedExampleDatabase(str(Path(__file__).parent / "fuzz-corpus"))
DATABASE = CORPUS if "FUZZ_EXAMPLES" in os.environ else ReadOnlyDatabase(CORPUS)

# What attackers and careless editors type: markup, directives, look-alikes, YAML structure.
HOSTILE = [
    "<script>alert(1)</script>",
    "<svg/onload=alert(1)>",
    "<img/src=x onerror=alert(1)>",
    "[x](javascript:alert(1))",
    "[x](data:text/html,hi)",
    "<javascript:alert(1)>",
    "--8<-- '/etc/passwd'",
    "{: onclick=alert(1) }",
    "\\`{onclick=x}`",
    "!!! danger",
    "Withdr\u0430w",
    "With\u200bdraw",
    "Trans\u00adfer",
    "\uff37ithdraw",
    "&a [x]",
    "*a",
    "<<: {x: 1}",
    "? [a, b]",
    "\t",
    "[" * 50,
    "{" * 50,
    "2999-01-01",
    "forbidden",
    "required",
    "withdraw",
    "[]",
    '"',
    "'",
    ":",
    "- ",
    "#",
    "|",
    "\x00",
    "\u202e",
]

edits = st.one_of(
    # Replace the value after a key on one line.
    st.tuples(st.just("value"), st.integers(0, len(LINES) - 1), st.sampled_from(HOSTILE) | st.text(max_size=30)),
    # Insert a hostile fragment anywhere in a line.
    st.tuples(st.just("insert"), st.integers(0, len(LINES) - 1), st.sampled_from(HOSTILE)),
    # Delete or duplicate a line.
    st.tuples(st.sampled_from(["delete", "duplicate"]), st.integers(0, len(LINES) - 1), st.just("")),
)


def mutate(lines: list[str], changes: list[tuple[str, int, str]]) -> str:
    lines = list(lines)
    for kind, index, fragment in changes:
        index = min(index, len(lines) - 1)
        line = lines[index]
        if kind == "value" and ":" in line:
            key = line.split(":", 1)[0]
            lines[index] = f"{key}: {fragment}\n"
        elif kind == "insert":
            cut = len(line) // 2
            lines[index] = line[:cut] + fragment + line[cut:]
        elif kind == "delete":
            del lines[index]
        elif kind == "duplicate":
            lines.insert(index, line)
    return "".join(lines)


ERROR_LINE = re.compile(r"^  exchanges/kraken-spot\.yml(:\d+)?: \S.*$")


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory: pytest.TempPathFactory) -> Project:
    return copy_project(tmp_path_factory.mktemp("fuzz"))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=DATABASE,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(changes=st.lists(edits, min_size=1, max_size=3))
def test_mutated_venue_file_is_refused_cleanly_or_builds_safe_pages(fuzz_project: Project, changes) -> None:
    project = fuzz_project
    try:
        (project.root / "exchanges" / "kraken-spot.yml").write_text(mutate(LINES, changes), encoding="utf-8")
        try:
            site = load_site(
                project.root / "mkdocs.yml", project.root / "docs", read_extra(project.root / "mkdocs.yml")
            )
        except VenueErrors as err:
            lines = err.report().splitlines()
            assert lines[0].endswith("in the venue files:")
            for line in lines[1:]:
                assert ERROR_LINE.match(line), f"not a file:line: field: error: {line!r}"
                assert len(line) < 1000
            return
        # Accepted: the pages it makes keep the rule and carry nothing live from the data.
        for page in build_pages(site):
            text = page.content
            assert not re.search(r"<\s*(script|svg|img|iframe)|\son[a-z]+\s*=|javascript:|data:text", text, re.I)
            assert "--8<--" not in text
        for guide in site.guides:
            for perm in guide.venue.permissions:
                if perm.moves_funds:
                    # An agent wallet's fixed powers may say `cannot` or `limited`; a key form's box is forbidden.
                    allowed = ("forbidden", "cannot", "limited") if guide.venue.agent_wallet else ("forbidden",)
                    assert perm.state in allowed
    finally:
        shutil.copy2(SPOT, project.root / "exchanges" / "kraken-spot.yml")
