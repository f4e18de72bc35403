"""Build benchmark: synthetic sites of 10, 100 and 1,000 venues made from the real venue files.

Run with `./dev bench` (add `--sizes 10 100` or `--repeats 1` for a quicker run). Every build is a
cold `mkdocs build` in a process of its own, as a maintainer runs it. Each repetition builds every
size twice, interleaved: the project, and the anchor (a plain Material site of the same generated
Markdown, with no hook and no redirects), so each repetition gives its own ratio. The table shows
min / median / max over the repetitions. Then, once per size: a profile of one build by where the
time goes, the files written (real pages and redirect stubs apart), the size of every page that grows
with the venue count, what a 390 px phone in Chromium (4x CPU slowdown) downloads on its first page
and on its first search and how long the first result takes, the search's files on disk and the time
Pagefind takes to index the site, and at 100 venues the time from saving a venue file or a template
to the rebuilt page under `./dev serve`, with a profile of that rebuild. It writes bench/results.md.
"""

from __future__ import annotations

import argparse
import json
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
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "bench" / "work"
RESULTS = ROOT / "bench" / "results.md"
PARTS = ("mkdocs.yml", "hooks", "templates", "docs", "overrides", "schema")
SHIM = WORK / "ccxt-shim"
# The pages whose size grows with the number of venues, by where they are in the site.
GROWING = {
    "home": "index.html",
    "venue index": "exchanges/index.html",
    "help index": "help/index.json",
}
# Search with Material's lunr, on main at 4f5ac12 (bench/results.md of that run): its index was one
# file, downloaded whole on the first search.
BEFORE = {
    10: {"first search (KB)": 304, "index (KB)": 286},
    100: {"first search (KB)": 2735, "index (KB)": 2578},
    1000: {"first search (KB)": 27074, "index (KB)": 25483},
}
# Where a build's time goes, by the file a profiled function lives in.
# The first bucket is the project's own: its code, its templates and the libraries only it calls.
OWN = ("venuekit", "venue_pages.py", "/templates/", "yaml", "pydantic", "nh3", "confusable_homoglyphs")
BUCKETS = (
    ("project", OWN),
    ("Jinja", ("jinja2",)),
    ("search", ("mkdocs/contrib/search", "material/plugins/search", "lunr")),
    ("Markdown", ("markdown", "pymdownx", "pygments")),
    ("theme", ("material", "mkdocs/theme", "mkdocs/utils/templates")),
    ("clean and copy", ("shutil", "mkdocs/utils/__init__", "posixpath", "genericpath")),
)


@dataclass
class Result:
    venues: int
    builds: list[float] = field(default_factory=list)
    anchors: list[float] = field(default_factory=list)
    hook: list[float] = field(default_factory=list)
    profile: dict[str, float] = field(default_factory=dict)
    pages: int = 0
    stubs: int = 0
    files: int = 0
    anchor_files: int = 0
    guide_mean: float = 0.0
    same_guide: int = 0
    growing: dict[str, int] = field(default_factory=dict)
    own: list[float] = field(default_factory=list)
    phone: dict[str, float] = field(default_factory=dict)
    phone_error: dict[str, float] = field(default_factory=dict)
    serve: dict[str, list[float]] = field(default_factory=dict)
    rebuild: dict[str, float] = field(default_factory=dict)
    floors: dict[str, float] = field(default_factory=dict)
    search: dict[str, float] = field(default_factory=dict)


def make_project(count: int, target: Path | None = None) -> Path:
    """A copy of the project whose exchanges/ holds `count` venues copied from the real ones.

    Copies are made round by round, one of each real file per round, by editing the text: every
    comment stays, and each copy's slug, former slugs, name and CCXT ids get the round's number, so
    a copy's `related` links point at the same round's copies. A link whose target is not in the
    site (a partial last round) is dropped, as the real site would refuse it."""
    target = target or WORK / f"venues-{count}"
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
    made = {(i // len(originals), originals[i % len(originals)].stem) for i in range(count)}
    for number, stem in sorted(made):
        text = (ROOT / "exchanges" / f"{stem}.yml").read_text(encoding="utf-8")
        copy = copy_venue(text, number, {s for n, s in made if n == number})
        (target / "exchanges" / f"{stem}-{number:04d}.yml").write_text(copy, encoding="utf-8")
    return target


def copy_venue(text: str, number: int, siblings: set[str]) -> str:
    """One venue file's text as the `number`th copy: a venue of its own, comments and all."""
    suffix = f"{number:04d}"

    def ids(match: re.Match[str]) -> str:
        items = [f"{i.strip()}{suffix}" for i in match.group(2).split(",") if i.strip()]
        return f"{match.group(1)}[{', '.join(items)}]"

    text = re.sub(r"^(slug: )(\S+)$", lambda m: f"{m[1]}{m[2]}-{suffix}", text, count=1, flags=re.M)
    text = re.sub(r"^(name: )(.+)$", lambda m: f"{m[1]}{m[2].strip()} {suffix}", text, count=1, flags=re.M)
    text = re.sub(r"^((?:legacy_)?ccxt: )\[([^\]]*)\]", ids, text, flags=re.M)
    text = re.sub(
        r"^(former_slugs: )\[([^\]]*)\]",
        lambda m: m[1] + "[" + ", ".join(f"{s.strip()}-{suffix}" for s in m[2].split(",") if s.strip()) + "]",
        text,
        flags=re.M,
    )
    related = re.search(r"^related:\n((?:(?:  .*)?\n)*)", text, flags=re.M)
    if related:
        items = re.split(r"(?m)^(?=  - slug: )", related.group(1))
        kept = []
        for item in items:
            slug = re.match(r"  - slug: (\S+)", item)
            if not slug:
                kept.append(item)
            elif slug.group(1) in siblings:
                kept.append(item.replace(f"  - slug: {slug.group(1)}", f"  - slug: {slug.group(1)}-{suffix}", 1))
        body = "".join(kept)
        text = text.replace(related.group(0), f"related:\n{body}" if "- slug:" in body else "related: []\n\n", 1)
    return text


def ccxt_shim(projects: list[Path]) -> Path:
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

    ids = set(ccxt_exchanges())
    for project in projects:
        for venue in (project / "exchanges").glob("*.yml"):
            ids.update(yaml.safe_load(venue.read_text(encoding="utf-8"))["ccxt"])
    shutil.rmtree(SHIM, ignore_errors=True)
    (SHIM / "ccxt" / "base").mkdir(parents=True)
    (SHIM / "ccxt" / "abstract").mkdir()
    (SHIM / "ccxt" / "__init__.py").write_text(f"exchanges = {sorted(ids)!r}\n", encoding="utf-8")
    shutil.copy2(real / "base" / "errors.py", SHIM / "ccxt" / "base" / "errors.py")
    # The probe check reads each id's implicit-API methods from `ccxt/abstract/<id>.py`: a copy's id
    # (`kraken0003`) gets its original's file, so the copies' probes are checked as the real ones are.
    for ident in ids:
        stem = re.sub(r"\d{4}$", "", ident)
        original = real / "abstract" / f"{stem}.py"
        if original.is_file():
            shutil.copy2(original, SHIM / "ccxt" / "abstract" / f"{ident}.py")
    return SHIM


def build_env(project: Path) -> dict[str, str]:
    """The environment of a build of `project`: its own copy of the hook's package, never the original's."""
    return dict(os.environ, NO_MKDOCS_2_WARNING="1", PYTHONPATH=os.pathsep.join([str(SHIM), str(project / "hooks")]))


def make_anchor(project: Path) -> Path:
    """The plain Material site of the same Markdown the hook generates: no hook, no redirects."""
    anchor = project.with_name(project.name + "-anchor")
    shutil.rmtree(anchor, ignore_errors=True)
    script = (
        "import sys, json; from pathlib import Path; "
        "from venuekit.site import load_site, build_pages, read_extra, venue_table; "
        "root = Path(sys.argv[1]); config = root / 'mkdocs.yml'; "
        "site = load_site(config, root / 'docs', read_extra(config)); "
        "print(json.dumps({'pages': {p.src_uri: p.content for p in build_pages(site)}, 'table': venue_table(site)}))"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(project)], env=build_env(project), capture_output=True, text=True, check=True
    )
    generated = json.loads(out.stdout)
    shutil.copytree(project / "docs", anchor / "docs")
    shutil.copytree(project / "overrides", anchor / "overrides")
    for src_uri, content in generated["pages"].items():
        path = anchor / "docs" / src_uri
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(content, encoding="utf-8")
    home = anchor / "docs" / "index.md"
    home.write_text(home.read_text(encoding="utf-8").replace("<!-- venue-table -->", generated["table"]), "utf-8")
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    config = re.sub(r"^hooks:\n(?:  .*\n)+", "", config, flags=re.M)
    config = re.sub(r"^  - redirects:\n(?:      .*\n)+", "", config, flags=re.M)
    config = re.sub(r"^watch:\n(?:  .*\n)+", "", config, flags=re.M)
    # The hook points snippets at docs/examples; the anchor says so itself.
    config = config.replace(
        "  - pymdownx.snippets:\n      check_paths: true\n",
        "  - pymdownx.snippets:\n      base_path: [docs/examples]\n",
    )
    (anchor / "mkdocs.yml").write_text(config, encoding="utf-8")
    return anchor


_TIMED_BUILD = """
import json, sys, time
started = time.perf_counter()
from mkdocs.commands.build import build
from mkdocs.config import load_config
hook = 0.0
def timed(function):
    def wrapper(*args, **kwargs):
        global hook
        t = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            hook += time.perf_counter() - t
    return wrapper
config = load_config(sys.argv[1], site_dir=sys.argv[2])
for event, handlers in config.plugins.events.items():
    ours = [timed(h) if getattr(h, "__module__", "").endswith("venue_pages.py") else h for h in handlers]
    config.plugins.events[event] = ours
if len(sys.argv) > 3:
    import cProfile, pstats
    profiler = cProfile.Profile()
    profiler.runcall(build, config)
    stats = pstats.Stats(profiler)
    events = sum(s[3] for (f, _, n), s in stats.stats.items() if f.endswith('venue_pages.py') and n.startswith('on_'))
    # Pagefind's indexing is the search's work, as the search plugin's is in the anchor.
    events -= sum(s[3] for (f, _, n), s in stats.stats.items() if f.endswith('search.py') and n == 'index_site')
    profile = [[f, s[2]] for (f, _, _), s in stats.stats.items()]
    print(json.dumps({"profile": profile, "total": stats.total_tt, "events": events}))
else:
    build(config)
    print(json.dumps({"wall": time.perf_counter() - started, "hook": hook}))
"""


def cold_build(project: Path, profile: bool = False) -> dict[str, object]:
    """One `mkdocs build` of `project` in a fresh process; its wall time and the hook's events' time."""
    site = project / "site"
    command = [sys.executable, "-c", _TIMED_BUILD, str(project / "mkdocs.yml"), str(site)]
    started = time.perf_counter()
    out = subprocess.run(
        command + (["profile"] if profile else []), cwd=project, env=build_env(project), capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(f"build of {project} failed:\n{out.stderr[-2000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    result["process"] = time.perf_counter() - started
    return result


def profile_buckets(project: Path) -> dict[str, float]:
    """Share of one profiled build's own time (tottime) in each bucket of BUCKETS."""
    data = cold_build(project, profile=True)
    shares: dict[str, float] = {name: 0.0 for name, _ in BUCKETS}
    shares["other"] = 0.0
    for filename, tottime in data["profile"]:
        shares[bucket(filename, project)] += tottime
    total = sum(shares.values()) or 1.0
    return {name: 100 * t / total for name, t in shares.items()} | {"own": 100 * data["events"] / data["total"]}


def bucket(filename: str, project: Path) -> str:
    # The theme's templates live under site-packages, the project's under its own folder.
    if "/templates/" in filename and not filename.startswith(str(project)):
        return "theme"
    return next((b for b, marks in BUCKETS if any(m in filename for m in marks)), "other")


_REBUILD = """
import cProfile, json, pstats, re, sys, time
from pathlib import Path
from mkdocs.commands.build import build
from mkdocs.config import load_config
site, venue = sys.argv[1], Path(sys.argv[2])
config = load_config("mkdocs.yml", site_dir=site)
config.plugins.on_startup(command="serve", dirty=True)
plugins = config.plugins
build(config, dirty=True)
plugins["hooks/venue_pages.py"]._finish_indexing()  # the preview's index of that build, made in a thread
original = venue.read_text(encoding="utf-8")
venue.write_text(original.replace("summary: >-\\n  ", "summary: >-\\n  Edited. ", 1), encoding="utf-8")
try:
    again = load_config("mkdocs.yml", site_dir=site)
    again.plugins = plugins  # serve keeps its plugins, this hook among them, across rebuilds
    profiler = cProfile.Profile()
    started = time.perf_counter()
    profiler.runcall(build, again, dirty=True)
    wall = time.perf_counter() - started
finally:
    venue.write_text(original, encoding="utf-8")
stats = pstats.Stats(profiler)
events = sum(s[3] for (f, _, n), s in stats.stats.items() if f.endswith('venue_pages.py') and n.startswith('on_'))
print(json.dumps({"wall": wall, "total": stats.total_tt, "events": events}))
"""


def rebuild_profile(project: Path) -> dict[str, float]:
    """The share of the project's own code in a serve rebuild after one venue file is saved: one
    dirty build as serve makes it, then a save, then the rebuild under cProfile."""
    site = project / "site-rebuild"
    shutil.rmtree(site, ignore_errors=True)
    venue = sorted((project / "exchanges").glob("*.yml"))[0]
    command = [sys.executable, "-c", _REBUILD, str(site), str(venue)]
    out = subprocess.run(command, cwd=project, env=build_env(project), capture_output=True, text=True)
    if out.returncode != 0:
        raise RuntimeError(f"rebuild of {project} failed:\n{out.stderr[-2000:]}")
    data = json.loads(out.stdout.strip().splitlines()[-1])
    return {"share": 100 * data["events"] / data["total"], "profiled (s)": data["total"]}


_FLOORS = """
import json, sys, time
from pathlib import Path
from venuekit import site as site_module
from venuekit.model import Venue
from venuekit.site import build_pages, load_site, read_extra
from venuekit.yamlfile import read_yaml
root = Path(sys.argv[1])
config = root / "mkdocs.yml"
site = load_site(config, root / "docs", read_extra(config))
files = sorted((root / "exchanges").glob("*.yml"))
def best(step):
    times = []
    for _ in range(3):
        started = time.perf_counter()
        step()
        times.append(time.perf_counter() - started)
    return min(times)
data = [read_yaml(f).data for f in files]
def render():
    site_module._rendered.clear()
    build_pages(site)
print(json.dumps({
    "PyYAML's C parser": best(lambda: [read_yaml(f) for f in files]),
    "pydantic's check": best(lambda: [Venue.model_validate(d) for d in data]),
    "Jinja's rendering": best(render),
}))
"""


def floors(project: Path) -> dict[str, float]:
    """The least time the work no project of this kind can skip takes, each the best of three in one
    process: parsing the venue files with PyYAML's C parser (read as events, as venuekit does, the
    fastest of the loaders measured), validating them with pydantic, and
    rendering every page with Jinja (templates already compiled)."""
    command = [sys.executable, "-c", _FLOORS, str(project)]
    out = subprocess.run(command, cwd=project, env=build_env(project), capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def search_files(site: Path) -> dict[str, float]:
    """The search's files on disk: Pagefind's bundle and the error lookup's shards in all; the largest
    file of data a query can fetch (an index chunk, a page's fragment, the meta file or a lookup
    shard); and Pagefind's code (its script and wasm), the same at every size."""
    bundle, lookup = site / "pagefind", site / "assets" / "error-lookup"
    data = [*bundle.glob("index/*"), *bundle.glob("fragment/*"), *bundle.glob("*.pf_meta"), *lookup.glob("*.json")]
    every = [p for p in bundle.rglob("*") if p.is_file()] + list(lookup.glob("*.json"))
    return {
        "on disk (KB)": sum(p.stat().st_size for p in every) / 1024,
        "files": len(every),
        "largest data file (KB)": max(p.stat().st_size for p in data) / 1024,
        "code (KB)": sum((bundle / name).stat().st_size for name in ("pagefind.js", "wasm.en.pagefind")) / 1024,
    }


def index_time(project: Path) -> float:
    """Seconds for the hook's one Pagefind call over the whole built site, as every build and every
    rebuild under serve makes it."""
    script = (
        "import sys, time; from pathlib import Path; from venuekit.search import index_site; "
        "started = time.perf_counter(); index_site(Path(sys.argv[1])); print(time.perf_counter() - started)"
    )
    out = subprocess.run(
        [sys.executable, "-c", script, str(project / "site")], env=build_env(project), capture_output=True, text=True
    )
    if out.returncode != 0:
        raise RuntimeError(f"indexing {project} failed:\n{out.stderr[-2000:]}")
    return float(out.stdout.strip().splitlines()[-1])


def is_stub(path: Path) -> bool:
    return path.stat().st_size < 2000 and b'http-equiv="refresh"' in path.read_bytes()


def count_files(site: Path) -> tuple[int, int]:
    pages = stubs = 0
    for path in site.rglob("*.html"):
        if is_stub(path):
            stubs += 1
        else:
            pages += 1
    return pages, stubs


def guide_mean(site: Path) -> float:
    sizes = [
        (p / "index.html").stat().st_size
        for p in (site / "exchanges").iterdir()
        if p.is_dir() and re.search(r"-\d{4}$", p.name) and (p / "index.html").exists()
    ]
    return statistics.mean(sizes)


def phone_search(site: Path, query: str) -> dict[str, float]:
    """What a 390 px phone downloads on the home page, then on its first search, and the time from
    typing the query to the first result shown, in Chromium with the CPU slowed down 4x."""
    from playwright.sync_api import sync_playwright

    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "-b", "127.0.0.1", "-d", str(site)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        line = server.stdout.readline()
        port = int(re.search(r"port (\d+)", line).group(1))
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"),
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-quic"],
            )
            page = browser.new_page(viewport={"width": 390, "height": 844}, is_mobile=True)
            # Counted when each request finishes, so a large download still under way is not missed.
            received: list[int] = []
            page.on("requestfinished", lambda request: received.append(request.sizes()["responseBodySize"]))
            cdp = page.context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
            page.goto(f"http://127.0.0.1:{port}/")
            page.wait_for_load_state("networkidle")
            page.wait_for_timeout(2000)
            first_page = sum(received)
            page.locator("label.md-header__button[for='__search']").click()
            started = time.perf_counter()
            page.keyboard.type(query)
            page.locator(".md-search-result__item").first.wait_for(timeout=120_000)
            first_result = time.perf_counter() - started
            page.wait_for_load_state("networkidle")
            first_search = sum(received) - first_page
            browser.close()
        return {
            "first page (KB)": first_page / 1024,
            "first search (KB)": first_search / 1024,
            "first result (s)": first_result,
        }
    finally:
        server.terminate()


def serve_latency(project: Path, rounds: int = 5) -> dict[str, list[float]]:
    """Seconds from saving a file to `mkdocs serve --dirty` (as `./dev serve` runs it) serving the
    rebuilt page, measured by a client polling the page until it shows the edit: for a venue file
    (its guide changes) and for a template every guide includes (every guide changes)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    venue = sorted((project / "exchanges").glob("*.yml"))[0]
    slug = yaml.safe_load(venue.read_text(encoding="utf-8"))["slug"]
    url = f"http://127.0.0.1:{port}/exchanges/{slug}/"
    template = project / "templates" / "guide_parts.md.j2"
    command = [sys.executable, "-m", "mkdocs", "serve", "--dirty", "-a", f"127.0.0.1:{port}"]
    server = subprocess.Popen(
        command, cwd=project, env=build_env(project), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    saves = {
        "venue file": (
            venue,
            lambda text, marker: re.sub(r"^summary: >-\n  ", f"summary: >-\n  {marker}. ", text, count=1, flags=re.M),
        ),
        "template": (
            template,
            lambda text, marker: text.replace("### Where keys are made", f"### Where keys are made {marker}", 1),
        ),
    }
    times: dict[str, list[float]] = {}
    try:
        _wait(url, "", 600)
        for name, (path, edit) in saves.items():
            original = path.read_text(encoding="utf-8")
            try:
                for i in range(rounds if name == "venue file" else 3):
                    marker = f"Benchmark edit {i} {time.time_ns()}"
                    started = time.perf_counter()
                    path.write_text(edit(original, marker), encoding="utf-8")
                    _wait(url, marker, 600)
                    times.setdefault(name, []).append(time.perf_counter() - started)
                    time.sleep(1)
            finally:
                path.write_text(original, encoding="utf-8")
                _wait(url, "", 600)
                time.sleep(1)
        return times
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


def spread(values: list[float], digits: int = 2) -> str:
    """min / median / max."""
    return " / ".join(f"{v:.{digits}f}" for v in (min(values), statistics.median(values), max(values)))


def tables(results: list[Result]) -> list[str]:
    lines = [
        "| venues | build (s) | anchor (s) | build ÷ anchor | own share (profile) | hook events (s) |",
        "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for r in results:
        ratio = [b / a for b, a in zip(r.builds, r.anchors, strict=True)]
        lines.append(
            f"| {r.venues} | {spread(r.builds)} | {spread(r.anchors)} | {spread(ratio)} "
            f"| {spread(r.own, 1)} % ({len(r.own)} runs) | {spread(r.hook)} |"
        )
    served = [r for r in results if r.serve]
    if served:
        lines += [
            "",
            "Under `./dev serve` (`mkdocs serve --dirty`): seconds from a save to the client seeing the rebuilt "
            "page, and the project's own share of one rebuild after a venue file's save (profiled):",
            "",
            "| venues | venue file saved → page (s) | template saved → page (s) | rebuild, profiled (s) "
            "| own share of the rebuild |",
            "| ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in served:
            venue, template = r.serve["venue file"], r.serve["template"]
            lines.append(
                f"| {r.venues} | {spread(venue)} ({len(venue)} saves) | {spread(template)} ({len(template)} saves) "
                f"| {r.rebuild['profiled (s)']:.2f} | {r.rebuild['share']:.1f} % |"
            )
    lines += [
        "",
        "Where one profiled build of the project spends its own time (% of the profile's total):",
        "",
        "| venues | " + " | ".join(name for name, _ in BUCKETS) + " | other |",
        "| ---: |" + " ---: |" * (len(BUCKETS) + 1),
    ]
    for r in results:
        lines.append(f"| {r.venues} | " + " | ".join(f"{v:.1f}" for v in r.profile.values()) + " |")
    lines += [
        "",
        "| venues | real pages | redirect stubs | files written | with `redirects: host` | anchor pages "
        "| guide HTML mean (KB) | one guide (KB) | " + " | ".join(f"{name} (KB)" for name in GROWING) + " |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |" + " ---: |" * len(GROWING),
    ]
    for r in results:
        lines.append(
            f"| {r.venues} | {r.pages} | {r.stubs} | {r.files} | {r.files - r.stubs} | {r.anchor_files} "
            f"| {r.guide_mean / 1024:.1f} "
            f"| {r.same_guide / 1024:.1f} | " + " | ".join(f"{r.growing[name] / 1024:.0f}" for name in GROWING) + " |"
        )
    if any(r.phone for r in results):
        lines += [
            "",
            "A 390 px phone in Chromium with the CPU slowed down 4×, on the home page, then a first search for "
            "`binance`, or in a new browser for `Invalid API-key`:",
            "",
            "| venues | first page downloads (KB) | first search downloads (KB) | first result (s) "
            "| `Invalid API-key`: downloads (KB) | first result (s) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in results:
            if r.phone:
                p, e = r.phone, r.phone_error
                lines.append(
                    f"| {r.venues} | {p['first page (KB)']:.0f} | {p['first search (KB)']:.0f} "
                    f"| {p['first result (s)']:.2f} | {e['first search (KB)']:.0f} | {e['first result (s)']:.2f} |"
                )
    if any(r.search for r in results):
        lines += [
            "",
            "Search before (Material's lunr, main at 4f5ac12) and after (Pagefind, with the error lookup in shards):",
            "",
            "| venues | first search before (KB) | first search after (KB) | index before (KB, one file) "
            "| index after, on disk (KB) | files | largest data file a query fetches (KB) | Pagefind code (KB) "
            "| indexing (s) |",
            "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for r in results:
            before = BEFORE.get(r.venues, {})
            was = [f"{before[k]:,}" if k in before else "–" for k in ("first search (KB)", "index (KB)")]
            now = f"{r.phone['first search (KB)']:,.0f}" if r.phone else "–"
            q = r.search
            lines.append(
                f"| {r.venues} | {was[0]} | {now} | {was[1]} | {q['on disk (KB)']:,.0f} | {q['files']:,.0f} "
                f"| {q['largest data file (KB)']:.0f} | {q['code (KB)']:.0f} | {q['indexing (s)']:.2f} |"
            )
    return lines


def goals(results: list[Result]) -> list[str]:
    by = {r.venues: r for r in results}
    lines = []
    if 100 in by and 1000 in by:
        ratio = statistics.median(by[1000].builds) / statistics.median(by[100].builds)
        lines.append(f"- 1,000 venues build in {ratio:.1f}× the time of 100 (medians; goal: at most 11×).")
    if 10 in by and 1000 in by:
        lines.append(
            f"- The same guide weighs {by[1000].same_guide / by[10].same_guide:.2f}× at 1,000 venues what it weighs "
            f"at 10 (goal: at most 1.2×); the mean over all guides, a different mix of venues at each size, "
            f"{by[1000].guide_mean / by[10].guide_mean:.2f}×."
        )
    searched = [r for r in results if r.phone and r.venues >= 100]
    if searched:
        sizes = " and ".join(
            f"{r.phone['first search (KB)']:.0f} KB (`Invalid API-key`: {r.phone_error['first search (KB)']:.0f} KB) "
            f"at {r.venues:,}"
            for r in searched
        )
        lines.append(f"- A reader's first search for `binance` downloads {sizes} venues (goal: at most 300 KB).")
    if 100 in by:
        r = by[100]
        lines.append(
            f"- The project's own share of the 100-venue build is {statistics.median(r.own):.1f} % by profile "
            f"(median of {len(r.own)}; goal: at most 5 %); "
            f"the build takes {statistics.median(r.builds) / statistics.median(r.anchors):.2f}× the anchor's time."
        )
        if r.floors:
            build = statistics.median(r.builds)
            parts = ", ".join(f"{name} {t:.2f} s" for name, t in r.floors.items())
            lines.append(
                f"- What no generator of these pages can skip, at its fastest: {parts}; together "
                f"{100 * sum(r.floors.values()) / build:.1f} % of the median build. The project's own code adds the "
                "rest: line numbers for errors, the safety and cross-file checks, sanitising, the help index "
                "and redirects. Under serve, files and guides are parsed, checked and rendered once per content."
            )
        if r.serve:
            lines.append(
                f"- Under `./dev serve`, a saved venue file's page is served again after "
                f"{statistics.median(r.serve['venue file']):.2f} s (median; goal: at most 1 s); the project's own "
                f"share of that rebuild is {r.rebuild['share']:.1f} %."
            )
    return lines


METHOD = """\
How each figure is taken:

- **build, anchor**: each a cold `mkdocs build` in a new process, timed from process start to exit.
  The anchor is a plain Material site of the same generated Markdown (the hook's pages written out
  as files), with no hook and no redirects plugin. Each repetition builds every size's project and
  anchor in turn, so slow and fast moments of the machine fall on both; min / median / max over the
  repetitions.
- **own share (profile)**: in a cProfile'd build, the time inside the hook's events (everything they
  call included: parsing and checking the venue files, rendering the guides, sanitising every page,
  the help index, the redirect pages) as a share of the whole build's; at 100 venues one profiled
  build per repetition, min / median / max. **hook events**: the same, timed without the profiler.
- **profile**: each function's own time put in a bucket by the file it lives in (project: venuekit,
  the hook, the project's templates, PyYAML, pydantic, nh3, confusable-homoglyphs, without the
  built-ins they call;
  Jinja: Jinja's runtime; search: the search plugin; Markdown: Python-Markdown, pymdownx, Pygments;
  theme: Material, its templates and MkDocs' templates; clean and copy: shutil and file copies;
  other: built-ins such as file writes and regular expressions, and everything else).
- **under `./dev serve`**: `mkdocs serve --dirty` on the 100-venue copy; a client polls the first
  guide's page every 50 ms from the moment a file is saved until the page shows the edit: five saves
  of its venue file, three of a template every guide includes (MkDocs polls the files every 0.5 s,
  so a save waits 0 to 0.5 s to be seen). The rebuild profile is one dirty build, a save of that
  venue file, then the rebuild under cProfile, with the plugins kept as serve keeps them.
- **real pages, redirect stubs**: HTML files written, a stub being a small page that only redirects;
  **files written**: every file in the built site; **with `redirects: host`**: the same less the
  stubs, which a host that follows `_redirects` or the nginx map does not need.
  **one guide**: the copy of the first venue file in its first round, the same page at every size.
- **phone**: Debian's Chromium at 390 × 844 px with Chrome's CPU throttling at 4×, bytes of every
  response body on the home page's load, then bytes fetched between opening search and the first
  result for `binance`, and the time from typing to that result.
- **search**: the first search's bytes are the phone's above; "before" is the same measurement on
  main at 4f5ac12, with Material's lunr index. On disk: every file of Pagefind's bundle and of the
  error lookup's shards; the largest data file is the biggest index chunk, page fragment, meta file
  or lookup shard a query can fetch; Pagefind's code (script and wasm) is fetched once and is the same
  at every size. **indexing**: the hook's one Pagefind call over the built site, timed on its own
  (it is part of every build's hook events, and of every rebuild under serve).
- **synthetic venues**: copies of the real files made by editing their text (every comment kept),
  round by round, each copy with its round's number in its slug, name and CCXT ids; `related`
  links point at the same round's copies. Builds import the copy's `hooks/`, never the original's.
"""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 100, 1000])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-serve", action="store_true", help="skip the mkdocs serve measurement")
    parser.add_argument("--no-phone", action="store_true", help="skip the Chromium measurement")
    args = parser.parse_args()
    projects = {count: make_project(count) for count in args.sizes}
    ccxt_shim(list(projects.values()))
    anchors = {count: make_anchor(project) for count, project in projects.items()}
    results = {count: Result(count) for count in args.sizes}
    for repeat in range(args.repeats):
        for count in args.sizes:
            built = cold_build(projects[count])
            plain = cold_build(anchors[count])
            r = results[count]
            r.builds.append(built["process"])
            r.hook.append(built["hook"])
            r.anchors.append(plain["process"])
            print(
                f"repeat {repeat + 1}: {count} venues {built['process']:.2f} s, anchor {plain['process']:.2f} s",
                flush=True,
            )
    for count, r in results.items():
        site = projects[count] / "site"
        r.pages, r.stubs = count_files(site)
        r.files = sum(1 for p in site.rglob("*") if p.is_file())
        r.anchor_files = sum(count_files(anchors[count] / "site"))
        r.guide_mean = guide_mean(site)
        # The same guide at every size, so that a change in the mix of venues does not move the figure.
        first = sorted((ROOT / "exchanges").glob("*.yml"))[0].stem
        r.same_guide = (site / "exchanges" / f"{first}-0000" / "index.html").stat().st_size
        r.growing = {name: (site / path).stat().st_size for name, path in GROWING.items()}
        # The profile of every build at 100 venues (the goal's size), of one build at the others.
        for _ in range(args.repeats if count == 100 else 1):
            r.profile = profile_buckets(projects[count])
            r.own.append(r.profile.pop("own"))
        r.search = search_files(site) | {"indexing (s)": index_time(projects[count])}
        if not args.no_phone and shutil.which("chromium"):
            r.phone = phone_search(site, "binance")
            # An error message's beginning, which many venues share: Pagefind and the lookup's shards.
            r.phone_error = phone_search(site, "Invalid API-key")
        if count == 100 and not args.no_serve:
            r.serve = serve_latency(projects[count])
            r.rebuild = rebuild_profile(projects[count])
        if count == 100:
            r.floors = floors(projects[count])
        print(f"{count} venues measured", flush=True)
    ordered = [results[c] for c in args.sizes]
    report = "\n".join(
        [
            "# Build benchmark",
            "",
            f"Run by `./dev bench` on {date.today().isoformat()}: {machine()}; {args.repeats} repetitions.",
            "",
            *tables(ordered),
            "",
            *goals(ordered),
            "",
            METHOD,
        ]
    )
    RESULTS.write_text(report, encoding="utf-8")
    print("\n" + report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
