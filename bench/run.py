"""Build benchmark: synthetic sites of 10, 100 and 1,000 venues made from the real venue files.

Run with `./dev bench` (add `--sizes 10 100` for a quicker run). For each size it reports the build
time, the time spent in the project's own code (the venue hook's events: loading, validating and
rendering) against MkDocs' total, the mean and largest HTML size of a guide page, the size of the
search index and what a reader's first search downloads (the index and the search worker); at
100 venues also the time from saving a venue file to the rebuilt page under `mkdocs serve`. It
prints a table and writes it to bench/results.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results.md"
PARTS = ("mkdocs.yml", "hooks", "templates", "docs", "overrides", "schema")
HOOK = "venue_pages.py"


@dataclass
class Result:
    venues: int
    build: float
    own: float
    guide_mean: float
    guide_max: int
    search_index: int
    first_search: int
    pages: int
    serve: float | None = None


def make_project(count: int) -> Path:
    """A copy of the project whose exchanges/ holds `count` venues cloned from the real ones."""
    target = WORK / f"venues-{count}"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)
    for part in PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, target / part, ignore=shutil.ignore_patterns("__pycache__"))
        else:
            shutil.copy2(source, target / part)
    (target / "exchanges").mkdir()
    originals = sorted((ROOT / "exchanges").glob("*.yml"))
    for i in range(count):
        source = originals[i % len(originals)]
        data = yaml.safe_load(source.read_text(encoding="utf-8"))
        suffix = f"{i:04d}"
        # Each copy is its own venue: a new slug, CCXT ids and name; links to siblings are dropped.
        data["slug"] = f"{data['slug']}-{suffix}"
        data["ccxt"] = [f"{ident}{suffix}" for ident in data["ccxt"]]
        data["name"] = f"{data['name']} {suffix}"
        data["related"] = []
        (target / "exchanges" / f"{data['slug']}.yml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return target


SHIM = WORK / "ccxt-shim"


def ccxt_shim(counts: list[int]) -> Path:
    """A stand-in `ccxt` package that knows the synthetic venues' ids, for the builds only.

    The build checks every CCXT id against the installed package, which it reads from source:
    `exchanges` in `ccxt/__init__.py` and the error classes in `ccxt/base/errors.py`. The stand-in
    holds the real lists plus the synthetic ids, so the benchmark measures the real checks."""
    import importlib.util

    spec = importlib.util.find_spec("ccxt")
    assert spec is not None and spec.origin is not None, "the ccxt package is not installed"
    real = Path(spec.origin).parent
    sys.path.insert(0, str(ROOT / "hooks"))
    from venuekit.ccxtids import ccxt_exchanges

    originals = sorted((ROOT / "exchanges").glob("*.yml"))
    ids = set(ccxt_exchanges())
    for i in range(max(counts)):
        data = yaml.safe_load(originals[i % len(originals)].read_text(encoding="utf-8"))
        ids.update(f"{ident}{i:04d}" for ident in data["ccxt"])
    ccxt_exchanges.cache_clear()
    shutil.rmtree(SHIM, ignore_errors=True)
    (SHIM / "ccxt" / "base").mkdir(parents=True)
    (SHIM / "ccxt" / "__init__.py").write_text(f"exchanges = {sorted(ids)!r}\n", encoding="utf-8")
    shutil.copy2(real / "base" / "errors.py", SHIM / "ccxt" / "base" / "errors.py")
    sys.path.insert(0, str(SHIM))
    return SHIM


def build(project: Path) -> tuple[float, float]:
    """Builds `project` in this process; returns the wall time and the time in the venue hook's events."""
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    os.environ["NO_MKDOCS_2_WARNING"] = "1"
    own = 0.0

    def timed(function):
        def wrapper(*args, **kwargs):
            nonlocal own
            started = time.perf_counter()
            try:
                return function(*args, **kwargs)
            finally:
                own += time.perf_counter() - started

        return wrapper

    started = time.perf_counter()
    config = load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site"))
    # MkDocs keeps each event's handlers in a list; the hook's own are wrapped with a timer.
    for event, handlers in config.plugins.events.items():
        config.plugins.events[event] = [
            timed(h) if getattr(h, "__module__", "").endswith(HOOK) else h for h in handlers
        ]
    mkdocs_build(config)
    return time.perf_counter() - started, own


def page_sizes(project: Path) -> tuple[float, int, int, int, int]:
    site = project / "site"
    guides = [
        p / "index.html"
        for p in (site / "exchanges").iterdir()
        if p.is_dir() and re.search(r"-\d{4}$", p.name) and (p / "index.html").exists()
    ]
    sizes = [g.stat().st_size for g in guides]
    search = (site / "search" / "search_index.json").stat().st_size
    # Material's search loads its worker and the whole index before a reader's first query.
    worker = sum(p.stat().st_size for p in (site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    pages = sum(1 for _ in site.rglob("*.html"))
    return statistics.mean(sizes), max(sizes), search, search + worker, pages


def serve_latency(project: Path, rounds: int = 3) -> float:
    """Median seconds from saving a venue file to `mkdocs serve` serving the rebuilt page."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    venue = sorted((project / "exchanges").glob("*.yml"))[0]
    slug = yaml.safe_load(venue.read_text(encoding="utf-8"))["slug"]
    url = f"http://127.0.0.1:{port}/exchanges/{slug}/"
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=os.pathsep.join([str(SHIM), str(ROOT / "hooks")]))
    command = [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"]
    server = subprocess.Popen(command, cwd=project, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(url, "", 600)
        times = []
        for i in range(rounds):
            marker = f"Benchmark edit {i} {time.time_ns()}"
            data = yaml.safe_load(venue.read_text(encoding="utf-8"))
            data["summary"] = marker
            text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
            started = time.perf_counter()
            venue.write_text(text, encoding="utf-8")
            _wait(url, marker, 600)
            times.append(time.perf_counter() - started)
            time.sleep(1)
        return statistics.median(times)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _wait(url: str, text: str, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:
                if text in response.read().decode("utf-8"):
                    return
        except OSError:
            pass
        time.sleep(0.05)
    raise TimeoutError(f"{url} did not show {text!r} within {seconds} s")


def machine() -> str:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor() or "unknown CPU",
    )
    memory = next(
        (
            int(line.split()[1]) // 1024 // 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal")
        ),
        0,
    )
    return f"{os.cpu_count()} cores ({cpu}), {memory} GiB, Python {platform.python_version()}, {platform.system()}"


def table(results: list[Result]) -> str:
    rows = [
        "| venues | pages | build (s) | own code (s) | own share | guide HTML mean (KB) | guide HTML max (KB) "
        "| search index (KB) | first search downloads (KB) | save → page under serve (s) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        serve = f"{r.serve:.2f}" if r.serve is not None else "–"
        rows.append(
            f"| {r.venues} | {r.pages} | {r.build:.2f} | {r.own:.2f} | {100 * r.own / r.build:.1f} % "
            f"| {r.guide_mean / 1024:.1f} | {r.guide_max / 1024:.1f} | {r.search_index / 1024:.0f} "
            f"| {r.first_search / 1024:.0f} | {serve} |"
        )
    return "\n".join(rows)


def ratios(results: list[Result]) -> list[str]:
    by = {r.venues: r for r in results}
    lines = []
    if 100 in by and 1000 in by:
        lines.append(
            f"- 1,000 venues build in {by[1000].build / by[100].build:.1f}× the time of 100 (goal: at most 11×)."
        )
    if 10 in by and 1000 in by:
        lines.append(
            f"- A guide page at 1,000 venues weighs {by[1000].guide_mean / by[10].guide_mean:.2f}× "
            "what it weighs at 10 (goal: at most 1.2×)."
        )
    if 100 in by:
        share = 100 * by[100].own / by[100].build
        lines.append(f"- The project's own code takes {share:.1f} % of the 100-venue build (goal: at most 5 %).")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve measurement")
    args = parser.parse_args()
    results = []
    ccxt_shim(args.sizes)
    for count in args.sizes:
        project = make_project(count)
        build(project)  # a first build warms caches (imports, theme templates) so runs compare fairly
        wall, own = build(project)
        mean, largest, search, first, pages = page_sizes(project)
        result = Result(count, wall, own, mean, largest, search, first, pages)
        if count == 100 and not args.no_serve:
            result.serve = serve_latency(project)
        results.append(result)
        print(table([result]).splitlines()[-1], flush=True)
    report = "\n".join(
        [
            "# Build benchmark",
            "",
            f"Run by `./dev bench` on {date.today().isoformat()}: {machine()}.",
            "Each size is built twice in one process; the table shows the second build. Synthetic venues are",
            "copies of the real venue files with new slugs, CCXT ids and names.",
            "",
            table(results),
            "",
            *ratios(results),
            "",
        ]
    )
    RESULTS.write_text(report, encoding="utf-8")
    print("\n" + report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
