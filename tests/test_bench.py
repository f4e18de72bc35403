"""The benchmark measures realistic copies of the real venues, built with the copy's own code."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys

import yaml

from conftest import ROOT

_spec = importlib.util.spec_from_file_location("bench_run", ROOT / "bench" / "run.py")
bench = importlib.util.module_from_spec(_spec)
sys.modules["bench_run"] = bench  # dataclasses look their module up while the file runs
_spec.loader.exec_module(bench)

ORIGINALS = sorted((ROOT / "exchanges").glob("*.yml"))


def test_synthetic_venues_keep_every_comment_and_their_related_links(tmp_path) -> None:
    count = len(ORIGINALS) + 6  # one whole round and part of a second
    project = bench.make_project(count, tmp_path / "site")
    copies = sorted((project / "exchanges").glob("*.yml"))
    assert len(copies) == count
    slugs = {yaml.safe_load(c.read_text(encoding="utf-8"))["slug"] for c in copies}
    assert len(slugs) == count
    linked = 0
    for copy in copies:
        stem, number = re.fullmatch(r"(.+)-(\d{4})", copy.stem).groups()
        original = (ROOT / "exchanges" / f"{stem}.yml").read_text(encoding="utf-8")
        text = copy.read_text(encoding="utf-8")
        comments = [line for line in original.splitlines() if line.lstrip().startswith("#")]
        assert comments and all(line in text.splitlines() for line in comments), copy.name
        data, source = yaml.safe_load(text), yaml.safe_load(original)
        assert data["slug"] == f"{source['slug']}-{number}"
        assert data["ccxt"] == [f"{i}{number}" for i in source["ccxt"]]
        for link in data.get("related") or []:
            assert link["slug"] in slugs, f"{copy.name} links to {link['slug']}, which is not in the site"
            linked += 1
        # Only a link whose target is missing from a partial round is dropped.
        kept = {link["slug"] for link in data.get("related") or []}
        for link in source.get("related") or []:
            assert (f"{link['slug']}-{number}" in kept) == (f"{link['slug']}-{number}" in slugs)
    assert linked >= 2


def test_the_benchmark_builds_with_the_copys_code_not_the_originals(tmp_path) -> None:
    project = bench.make_project(2, tmp_path / "site")
    env = bench.build_env(project)
    found = subprocess.run(
        [sys.executable, "-c", "import venuekit; print(venuekit.__file__)"], env=env, capture_output=True, text=True
    )
    assert found.stdout.strip().startswith(str(project / "hooks")), found.stdout + found.stderr


def test_a_synthetic_site_builds_with_its_copies_checked_as_the_real_venues_are(tmp_path) -> None:
    # One copy of every real venue, probes included: the build checks each copy's CCXT id, its
    # implicit-API methods and its error classes against the stand-in CCXT as it does the originals.
    project = bench.make_project(len(ORIGINALS), tmp_path / "site")
    bench.ccxt_shim([project])
    result = bench.cold_build(project)
    assert result["process"] > 0
    assert len(list((project / "site" / "exchanges").glob("*-0000/index.html"))) == len(ORIGINALS)
