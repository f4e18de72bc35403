"""What a reader does, in Debian's headless Chromium driven by Playwright, against the built site on localhost."""

from __future__ import annotations

import functools
import json
import re
import shutil
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer

import pytest
from playwright.sync_api import Browser, Page, expect, sync_playwright

from conftest import ROOT, Project
from venuekit.model import Platform
from venuekit.render import SECTIONS
from venuekit.site import data_files, load_site, read_extra
from venuekit.validate import load_venues

pytestmark = pytest.mark.browser
SCREENSHOTS = ROOT / "tests" / "screenshots"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
# As the machine's notes advise: without the background-networking flags Chromium phones home.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def base_url(built: Project) -> Iterator[str]:
    yield from _serve(str(built.site))


def _serve(directory: str) -> Iterator[str]:
    handler = functools.partial(_Quiet, directory=directory)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def crowded_url(built: Project, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The site with its error lookup split as a site of a thousand venues needs it: every group of
    keys larger than a few hundred bytes filed under longer prefixes, on the real entries."""
    import venuekit.lookup

    site = tmp_path_factory.mktemp("crowded") / "site"
    shutil.copytree(built.site, site)
    config = built.root / "mkdocs.yml"
    real = venuekit.lookup.GROUP_BYTES
    venuekit.lookup.GROUP_BYTES = 300
    try:
        files = data_files(load_site(config, built.root / "docs", read_extra(config)), "https://keys.example.com/")
    finally:
        venuekit.lookup.GROUP_BYTES = real
    shutil.rmtree(site / "assets" / "error-lookup")
    for name, content in files.items():
        if name.startswith("assets/error-lookup/"):
            (site / name).parent.mkdir(parents=True, exist_ok=True)
            (site / name).write_text(content, encoding="utf-8")
    split = json.loads((site / "assets" / "error-lookup" / "index.json").read_text(encoding="utf-8"))["split"]
    assert len(split) > 20 and any(n > 10 for n, _ in split.values()), "the lookup was not split deep enough"
    yield from _serve(str(site))


@pytest.fixture
def crowded(browser: Browser, crowded_url: str) -> Iterator[Visit]:
    visit = Visit(browser, crowded_url)
    yield visit
    visit.close()


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    chromium = shutil.which("chromium")
    assert chromium, "the browser tests need Debian's Chromium: apt-get install chromium (./dev test does it as root)"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Visit:
    """A page in a fresh browser context that records every request it makes."""

    def __init__(self, browser: Browser, base_url: str, **context: object) -> None:
        self.context = browser.new_context(permissions=["clipboard-read", "clipboard-write"], **context)
        self.base_url = base_url
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page: Page = self.context.new_page()
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str) -> Page:
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def visit(browser: Browser, base_url: str) -> Iterator[Visit]:
    visit = Visit(browser, base_url)
    yield visit
    visit.close()


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Visit]:
    visit = Visit(browser, base_url, viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    yield visit
    visit.close()


VENUES = [lv.venue for lv in load_venues(ROOT / "exchanges", ROOT)]
PLATFORM = Platform.model_validate(read_extra(ROOT / "mkdocs.yml")["platform"])
# One page of every kind the site has.
KINDS = {
    "home": "",
    "guide": "exchanges/kraken-spot/",
    "venue index": "exchanges/",
    "letter group": "exchanges/a-f/",
    "permission matrix": "compare/permissions/",
    "key lifecycle": "compare/key-lifecycle/",
    "app developers": "app-links/",
    "contributing": "contributing/",
    "not found": "404.html",
}


def test_a_guide_shows_every_section(visit: Visit) -> None:
    page = visit.open("exchanges/kraken-spot/")
    for sid, title in SECTIONS:
        heading = page.locator(f"#{sid}")
        heading.scroll_into_view_if_needed()
        expect(heading).to_be_visible()
        assert title.split()[0].lower() in heading.inner_text().lower()


GUIDES = [f"exchanges/{v.slug}/" for v in VENUES]
by_guide = pytest.mark.parametrize("path", GUIDES, ids=[v.slug for v in VENUES])


@by_guide
def test_on_a_phone_the_path_comes_first_and_everything_it_needs_is_inside_it(phone: Visit, path: str) -> None:
    page = phone.open(path)
    # The first step starts within the first screen, after the title, one line and the never box.
    first = page.locator("h2#steps + ol > li").first
    top = first.bounding_box()
    assert top and top["y"] + 40 <= 844, f"{path}: the first step starts {top['y']:.0f} px down"
    expect(page.locator(".never-box")).to_be_in_viewport()
    # The jump list is there from the top, and opens onto every section and troubleshooting entry.
    jump = page.locator("details.on-this-page")
    expect(jump.locator("summary")).to_be_in_viewport()
    jump.locator("summary").click()
    expect(jump.get_by_role("link", name="Troubleshooting", exact=True)).to_be_visible()
    # The checklist, the IP block and the paste-into-the-platform fields are inside the steps.
    # A venue without an IP whitelist has no address block, only its #ip-whitelist note saying so.
    block = ".ip-whitelist" if page.locator(".ip-whitelist").count() else "#ip-whitelist"
    for part in ("#permissions", block, "#credentials", "#done"):
        inside = page.evaluate(f"document.querySelector('h2#steps + ol').contains(document.querySelector('{part}'))")
        assert inside, f"{path}: {part} is not inside the steps"
    last = page.locator("h2#steps + ol > li").last
    expect(last.locator("#done")).to_have_count(1)


_STYLE = """el => { const s = getComputedStyle(el), b = getComputedStyle(el.querySelector('.state'));
  const label = el.querySelector('.perm-label');
  return {background: s.backgroundColor, border: s.borderTopColor + ' ' + s.borderTopWidth,
    badge: b.backgroundColor + ' ' + b.color, weight: getComputedStyle(label.querySelector('strong')).fontWeight,
    size: parseFloat(getComputedStyle(label).fontSize), text: el.querySelector('.state').innerText}; }"""


@by_guide
def test_a_never_row_looks_nothing_like_a_row_to_turn_on(phone: Visit, path: str) -> None:
    page = phone.open(path)
    # On an agent wallet's checklist, the rows it cannot do (and those it can only within a limit)
    # stand out from what it can do as a forbidden box does from one to turn on.
    rows = (
        "#permissions ~ ul > li.perm-forbidden, #permissions ~ ul > li.perm-cannot, #permissions ~ ul > li.perm-limited"
    )
    never = [row.evaluate(_STYLE) for row in page.locator(rows).all()]
    on = [row.evaluate(_STYLE) for row in page.locator("#permissions ~ ul > li.perm-required").all()]
    assert never and on, path
    for row in never:
        assert row["size"] >= 16, f"{path}: a never row's label is {row['size']} px"
        assert row["text"].upper().startswith(("✗", "⚠")), row["text"]
        for other in on:
            assert row["background"] != other["background"] and row["badge"] != other["badge"], (row, other)
            assert int(row["weight"]) > int(other["weight"]), (row, other)
    for row in on:
        assert row["size"] >= 16, f"{path}: an on row's label is {row['size']} px"


@pytest.mark.parametrize("width", [390, 1280])
@pytest.mark.parametrize("path", [*GUIDES, "", "exchanges/", "compare/permissions/", "compare/key-lifecycle/"])
def test_no_table_is_wider_than_its_page(browser: Browser, base_url: str, path: str, width: int) -> None:
    visit = Visit(browser, base_url, viewport={"width": width, "height": 900})
    try:
        page = visit.open(path)
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        wide = page.evaluate(
            """() => [...document.querySelectorAll('.md-content table')].map(t => {
                const box = t.closest('.md-typeset__scrollwrap') || t.parentElement;
                return [t.scrollWidth, box.clientWidth, t.rows[0].innerText.slice(0, 40)];
            }).filter(([w, room]) => w > room + 1)"""
        )
        assert not wide, f"{path} at {width} px: tables wider than their page {wide}"
    finally:
        visit.close()


def test_ticks_stay_in_this_browser_and_survive_a_reload(phone: Visit) -> None:
    page = phone.open("exchanges/kraken-spot/")
    row = page.locator("#permissions ~ ul > li.perm-forbidden").first
    box = row.locator("input.tick")
    expect(box).to_have_accessible_name(re.compile(r"^Done: Withdraw"))
    box.check()
    sent = len(phone.requests)
    page.reload()
    page.wait_for_load_state("networkidle")
    expect(page.locator("#permissions ~ ul > li.perm-forbidden input.tick").first).to_be_checked()
    assert all(url.startswith(phone.base_url) for url in phone.requests[sent:])
    # Another guide keeps its own ticks.
    other = phone.open("exchanges/kraken-futures/")
    expect(other.locator("input.tick:checked")).to_have_count(0)


def test_binance_spot_prints_on_at_most_five_a4_pages(visit: Visit) -> None:
    page = visit.open("exchanges/binance-spot/")
    pdf = page.pdf(format="A4", print_background=True)
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert 0 < pages <= 5, f"Binance Spot prints on {pages} A4 pages"
    page.emulate_media(media="print")
    for hidden in (".md-header", ".md-sidebar", ".md-footer", "details.on-this-page"):
        expect(page.locator(hidden).first).to_be_hidden()


def test_the_not_found_page_offers_search_and_every_guide(visit: Visit) -> None:
    page = visit.open("404.html")
    expect(page.locator("h1")).to_have_text("This page is not here")
    page.get_by_text("Search the site").click()
    page.keyboard.type("Deribit")
    expect(page.locator(".md-search-result__item").first).to_contain_text("Deribit")
    page.keyboard.press("Escape")
    for venue in VENUES:
        link = page.locator(".guide-links").get_by_role("link", name=venue.name, exact=True)
        expect(link).to_have_attribute("href", f"/exchanges/{venue.slug}/")
    page.get_by_label("Or paste the error you got").fill("EAPI:Invalid key")
    expect(page.locator(".error-lookup-first")).to_have_attribute(
        "href", visit.base_url + "exchanges/kraken-spot/#error-eapi-invalid-key"
    )


def _search_requests(visit: Visit) -> list[str]:
    searching = ("/search/search_index.json", "/workers/search.", "/pagefind/", "/assets/error-lookup/")
    return [u for u in visit.requests if any(part in u for part in searching)]


# Each way a reader opens search: a tap or click on the field, the / and s shortcuts, the icon on a phone.
OPEN_SEARCH = {
    "click": lambda page: page.get_by_placeholder("Search").click(),
    "slash": lambda page: page.keyboard.press("/"),
    "s": lambda page: page.keyboard.press("s"),
    "phone icon": lambda page: page.locator('label.md-header__button[for="__search"]').click(),
}


@pytest.mark.parametrize("how", OPEN_SEARCH, ids=list(OPEN_SEARCH))
def test_a_page_downloads_nothing_for_search_until_the_reader_opens_it(visit: Visit, phone: Visit, how: str) -> None:
    reader = phone if how == "phone icon" else visit
    page = reader.open("exchanges/kraken-spot/")
    page.mouse.wheel(0, 2000)  # reading and scrolling start nothing
    page.wait_for_timeout(300)
    assert not _search_requests(reader), _search_requests(reader)
    OPEN_SEARCH[how](page)
    page.keyboard.type("Deribit")
    expect(page.locator(".md-search-result__item").first).to_contain_text("Deribit")
    # Then: Material's index (its config only), the worker, Pagefind's script, wasm, entry and meta
    # files, the index chunk of the word and the text of at most ten pages shown; and the error
    # lookup's manifest and the one shard of the word's first three letters.
    sent = _search_requests(reader)
    assert sum("/pagefind/fragment/" in u for u in sent) <= 10, sent
    assert sum("/assets/error-lookup/" in u for u in sent) <= 2, sent
    assert not reader.errors, reader.errors


def test_search_finds_a_venue_by_name(visit: Visit) -> None:
    page = visit.open("")
    page.keyboard.press("/")
    page.keyboard.type("Deribit")
    result = page.locator(".md-search-result__item").first
    expect(result).to_contain_text("Deribit")
    result.click()
    # Search highlighting adds ?h=<query> to the address.
    expect(page).to_have_url(re.compile(re.escape(visit.base_url + "exchanges/deribit/") + r"(\?h=[^#]*)?$"))


def test_search_for_an_exact_error_lands_on_its_entry(visit: Visit) -> None:
    page = visit.open("")
    page.get_by_placeholder("Search").click()
    page.keyboard.type("EAPI:Invalid key")
    result = page.locator(".md-search-result__item").first
    expect(result).to_contain_text("EAPI:Invalid key")
    result.click()
    guide = re.escape(visit.base_url + "exchanges/kraken-spot/")
    expect(page).to_have_url(re.compile(guide + r"(\?h=[^#]*)?#error-eapi-invalid-key$"))
    expect(page.locator("#error-eapi-invalid-key")).to_be_in_viewport()


# Runs the site's search worker on its own, as Material's dialog does: set up with the site's search
# config, then one query per message. Returns the queries that found nothing. The page starts search
# only when the reader reaches for it, so the search field is focused first.
_RUN_WORKER = """async ([worker, queries]) => {
  document.querySelector('.md-search__input').focus();
  const index = await (await fetch('search/search_index.json')).json();
  const w = new Worker(worker);
  const ask = (msg) => new Promise(resolve => { w.onmessage = e => resolve(e.data); w.postMessage(msg); });
  await ask({type: 0, data: {...index, options: {suggest: false}}});
  const empty = [];
  for (const q of queries) {
    const reply = await ask({type: 2, data: q});
    if (!reply.data.items.length) empty.push(q);
  }
  w.terminate();
  return empty;
}"""


class _Words(HTMLParser):
    """The words of a page's main content, as a reader sees them: what the search plugin was told to
    leave out (citation numbers, the paste box) is left out here too."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # inside <article>
        self.skip: list[str] = []  # the open tags of an element left out
        self.words: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if tag == "article":
            self.depth += 1
        elif self.skip or "data-search-exclude" in names or "data-pagefind-ignore" in names:
            if tag not in VOID:
                self.skip.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if self.skip and self.skip[-1] == tag:
            self.skip.pop()
        elif tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth and not self.skip:
            self.words.update(w.lower() for w in re.findall(r"\w+", data))


VOID = {"area", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


def _site_words(built: Project) -> set[str]:
    """Every word in the main content of every page a reader can reach (not the redirect stubs)."""
    words: set[str] = set()
    for path in built.site.rglob("*.html"):
        html = path.read_text(encoding="utf-8")
        if 'class="md-content__inner' in html and path.name != "404.html":
            parser = _Words()
            parser.feed(html)
            words |= parser.words
    return words


def _worker(built: Project) -> str:
    """The address of the worker Material's dialog starts."""
    worker = next((built.site / "assets" / "javascripts" / "workers").glob("search.*.min.js"))
    return f"assets/javascripts/workers/{worker.name}"


SNOWBALL_EXCEPTIONS = {"dying": "die", "lying": "lie", "tying": "tie"}


def test_search_answers_every_word_of_the_site_and_its_prefixes(visit: Visit, built: Project) -> None:
    # A reader types a word letter by letter: every word the site's pages contain, and each of its
    # first three prefixes, must find something and raise nothing, in the real index.
    words = _site_words(built)
    queries = words | {w[:n] for w in words for n in range(1, min(len(w), 4))}
    # Pagefind stems words with Snowball's English stemmer, whose exceptional forms replace letters
    # (tying → tie): "tyi" is no prefix of anything indexed, and the reader finds it at "tying".
    queries -= {
        w[:n] for w, stem in SNOWBALL_EXCEPTIONS.items() for n in range(1, len(w)) if not stem.startswith(w[:n])
    }
    # A word no page contains finds nothing, so an empty answer is told apart from a found one.
    absent = ["qzxwvk", "zzqqxx"]
    warnings: list[str] = []
    visit.page.on("console", lambda message: warnings.append(message.text))
    visit.open("")
    empty = visit.page.evaluate(_RUN_WORKER, [_worker(built), [*sorted(queries), *absent]])
    assert not visit.errors and not [w for w in warnings if "fail" in w.lower() or "error" in w.lower()], warnings[:3]
    assert len(words) > 2000
    assert [q for q in empty if q not in absent] == [], f"{len(empty) - 2} queries found nothing: {empty[:20]}"
    assert [q for q in empty if q in absent] == absent


def test_the_search_index_holds_the_pages_and_not_the_stubs(built: Project) -> None:
    # Pagefind indexes a page's main content only: redirect stubs have none, the 404 page leaves its
    # list of every guide out, and every other page is in.
    entry = json.loads((built.site / "pagefind" / "pagefind-entry.json").read_text(encoding="utf-8"))
    pages = [p for p in built.site.rglob("*.html") if 'class="md-content__inner' in p.read_text(encoding="utf-8")]
    assert entry["languages"]["en"]["page_count"] == len(pages) - 1  # all but 404.html
    assert (built.site / "404.html") in pages


@pytest.mark.parametrize("query", ["-2015", "binance -2015"])
def test_an_error_code_with_a_minus_is_searched_as_a_code(visit: Visit, query: str) -> None:
    # lunr reads a leading minus as NOT; the site's worker reads it as part of the code.
    page = visit.open("")
    page.get_by_placeholder("Search").click()
    page.keyboard.type(query)
    first = page.locator(".md-search-result__item").first
    expect(first).to_contain_text("-2015")
    expect(first).to_contain_text("Binance")


@pytest.mark.parametrize("query", ["API key", "Invalid API-key", "api", "APIv4", "a"])
def test_queries_with_api_find_the_guides(visit: Visit, query: str) -> None:
    page = visit.open("")
    page.get_by_placeholder("Search").click()
    page.keyboard.type(query)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    assert "No matching documents" not in page.locator(".md-search-result__meta").inner_text()
    assert not visit.errors


PASTED = {
    # As the platform shows it: the venue's JSON, a code with the venue's name, a bare string,
    # CCXT's message (exchange id, then the body).
    '{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}': "exchanges/binance-spot/#error-2015",
    "binance -2015": "exchanges/binance-spot/#error-2015",
    # Binance, Binance's futures guides and Bybit all list -2015: the venue's name decides, and
    # without one, the venue listed first, in its main guide.
    "bybit -2015": "exchanges/bybit/#error-2015",
    "-2015": "exchanges/binance-spot/#error-2015",
    "EAPI:Invalid key": "exchanges/kraken-spot/#error-eapi-invalid-key",
    'kraken {"error":["EGeneral:Permission denied"]}': "exchanges/kraken-spot/#error-egeneral-permission-denied",
    "50111": "exchanges/okx/#error-50111",
    "INVALID_SIGNATURE": "exchanges/gate/#error-invalid-signature",
}


# "crowded": the same site with its lookup split by long prefixes, as a thousand venues split it.
@pytest.mark.parametrize("reader", ["visit", "phone", "crowded"])
@pytest.mark.parametrize(("pasted", "target"), PASTED.items(), ids=list(PASTED))
def test_a_pasted_error_lands_on_its_entry(
    request: pytest.FixtureRequest, reader: str, pasted: str, target: str
) -> None:
    visit: Visit = request.getfixturevalue(reader)
    page = visit.open("")
    box = page.get_by_label("Paste the error")
    box.fill(pasted)
    expect(page.locator(".error-lookup-first")).to_have_attribute("href", visit.base_url + target)
    box.press("Enter")
    _landed_on(visit, page, target)


def _landed_on(visit: Visit, page: Page, target: str) -> None:
    expect(page).to_have_url(visit.base_url + target)
    expect(page.locator("#" + target.split("#")[1])).to_be_in_viewport()
    assert not visit.errors


# What a reader types or pastes into the search dialog, and the entry its first result must be:
# the pasted errors above, and the beginning of a message as a reader remembers it.
SEARCHED = {
    **PASTED,
    "Invalid API-key": "exchanges/binance-spot/#error-2015",
    "User or API Wallet": "exchanges/hyperliquid/#error-user-or-api-wallet-does-not-exist",
}


@pytest.mark.parametrize("reader", ["visit", "phone", "crowded"])
@pytest.mark.parametrize(("searched", "target"), SEARCHED.items(), ids=list(SEARCHED))
def test_the_search_dialog_puts_an_errors_entry_first(
    request: pytest.FixtureRequest, reader: str, searched: str, target: str
) -> None:
    visit: Visit = request.getfixturevalue(reader)
    page = visit.open("exchanges/okx/")
    OPEN_SEARCH["phone icon" if reader == "phone" else "slash"](page)
    page.keyboard.type(searched)
    first = page.locator(".md-search-result__item").first
    # Full-text results may show first for a moment: the entry comes on top as soon as it is found.
    expect(first.locator("a").first).to_have_attribute("href", visit.base_url + target)
    # Material's full-text results stay below it, and the keyboard reaches it first.
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    _landed_on(visit, page, target)


# A label exactly as a venue's form (or its help article) shows it: the first result is that guide's
# checklist, saying what to do with the box.
LABELS = {
    "Create & modify orders": ("exchanges/kraken-spot/#permissions", "turn on"),
    "Withdraw Funds": ("exchanges/kraken-spot/#permissions", "never turn on"),
    "Enable Withdrawals": ("exchanges/binance-spot/#permissions", "never turn on"),
    "View Deposit/Withdrawal Details": ("exchanges/mexc-spot/#permissions", "turn on"),
    "출금하기": ("exchanges/upbit/#permissions", "never turn on"),
}


@pytest.mark.parametrize(("label", "expected"), LABELS.items(), ids=list(LABELS))
def test_a_permission_label_finds_the_guide_whose_form_has_it(visit: Visit, label: str, expected) -> None:
    target, action = expected
    page = visit.open("")
    page.keyboard.press("/")
    page.keyboard.type(label)
    first = page.locator(".md-search-result__item").first
    # Full-text results may show first for a moment: the entry comes on top as soon as it is found.
    expect(first.locator("a").first).to_have_attribute("href", visit.base_url + target)
    expect(first).to_contain_text(f"({'✗' if 'never' in action else '✓'} {action})")


# A concept ranks the guides where it applies: keys with a passphrase, venues with an IP whitelist.
CONCEPTS = {
    "passphrase": lambda v: v.passphrase,
    "IP whitelist": lambda v: v.facts.ip_whitelist.value != "unavailable",
}


@pytest.mark.parametrize("concept", CONCEPTS)
def test_a_concept_ranks_the_guides_where_it_applies(visit: Visit, concept: str) -> None:
    guides = {f"exchanges/{v.slug}/" for v in VENUES if CONCEPTS[concept](v)}
    page = visit.open("")
    page.keyboard.press("/")
    page.keyboard.type(concept)
    expect(page.locator(".md-search-result__item").first).to_be_visible()
    first = [a.get_attribute("href") for a in page.locator(".md-search-result__item > a:first-child").all()[:4]]
    paths = [href.removeprefix(visit.base_url).split("?")[0].split("#")[0] for href in first]
    assert len(paths) == 4 and all(path in guides for path in paths), (concept, paths)


def test_a_pasted_body_that_full_text_search_misses_still_counts_its_entries(visit: Visit) -> None:
    page = visit.open("")
    page.keyboard.press("/")
    page.keyboard.type('{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}')
    first = page.locator(".md-search-result__item").first
    # The code comes with its message, and the count no longer says nothing matched.
    expect(first.locator("h1")).to_have_text("-2015 Invalid API-key, IP, or permissions for action.")
    expect(page.locator(".md-search-result__meta")).to_have_text("3 matching entries")


def test_a_search_that_is_no_error_gets_no_error_result(visit: Visit) -> None:
    page = visit.open("")
    page.keyboard.press("/")
    page.keyboard.type("kraken")
    expect(page.locator(".md-search-result__item").first.locator("a").first).to_have_attribute(
        "href", re.compile(re.escape(visit.base_url + "exchanges/kraken-spot/"))
    )
    expect(page.locator(".error-lookup-result")).to_have_count(0)


def test_markup_typed_into_search_stays_text(visit: Visit) -> None:
    page = visit.open("")
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.keyboard.press("/")
    page.keyboard.type('<img src=x onerror=alert(1)> {"msg":"<script>alert(2)</script>"}')
    page.wait_for_timeout(1500)
    assert not dialogs
    assert page.locator(".md-search-result img, .md-search-result script").count() == 0
    assert not visit.errors


def test_the_box_on_a_guide_prefers_that_guides_venue(visit: Visit) -> None:
    page = visit.open("exchanges/binance-usdm-futures/")
    page.get_by_label("Paste the error").fill("-2015")
    expect(page.locator(".error-lookup-first")).to_have_attribute(
        "href", visit.base_url + "exchanges/binance-usdm-futures/#error-2015"
    )
    # The same code on other guides is offered too.
    expect(page.locator("form.error-lookup output")).to_contain_text("Binance Spot & Margin")


def test_an_unknown_error_says_so_instead_of_guessing(visit: Visit) -> None:
    page = visit.open("")
    page.get_by_label("Paste the error").fill("Something no venue says")
    expect(page.locator("form.error-lookup output")).to_have_text(
        "No guide lists this exact message. Search the site for its words instead."
    )
    expect(page.locator(".error-lookup-first")).to_have_count(0)


def test_a_deep_link_to_an_error_shows_it(visit: Visit) -> None:
    page = visit.open("go/binance/error-2015/")
    expect(page).to_have_url(visit.base_url + "exchanges/binance-spot/#error-2015")
    expect(page.locator("#error-2015")).to_be_in_viewport()


def test_the_copy_button_copies_exactly_the_configured_addresses(visit: Visit) -> None:
    page = visit.open("exchanges/kraken-spot/")
    block = page.locator(".ip-whitelist")
    block.hover()
    block.get_by_title("Copy to clipboard").click()
    assert page.evaluate("navigator.clipboard.readText()") == ", ".join(PLATFORM.whitelist.cloud)


def test_dark_mode_switch(visit: Visit) -> None:
    page = visit.open("exchanges/kraken-spot/")
    page.get_by_title("Switch to dark mode").first.click()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")


def test_spot_and_futures_guides_link_each_other(visit: Visit) -> None:
    page = visit.open("exchanges/kraken-spot/")
    page.locator("#related ~ .admonition a", has_text="Kraken Futures").first.click()
    expect(page).to_have_url(visit.base_url + "exchanges/kraken-futures/")
    page.locator("#related ~ .admonition a", has_text="Kraken Spot").first.click()
    expect(page).to_have_url(visit.base_url + "exchanges/kraken-spot/")


def test_venue_index_filters_and_sorts(visit: Visit) -> None:
    page = visit.open("exchanges/")
    rows = page.locator("#venue-index tbody tr")
    passphrase = sum(v.passphrase for v in VENUES)
    page.get_by_label("Passphrase").select_option("yes")
    expect(rows.locator("visible=true")).to_have_count(passphrase)
    expect(page.locator(".venue-count")).to_have_text(f"{passphrase} of {len(VENUES)} shown")
    page.get_by_label("Passphrase").select_option("")
    page.get_by_role("button", name="Venue").click()
    names = sorted((v.name for v in VENUES), key=str.casefold, reverse=True)
    assert rows.first.locator("td").first.inner_text() == names[0]


@pytest.mark.parametrize("path", [*KINDS.values(), *(f"exchanges/{v.slug}/" for v in VENUES)])
def test_no_page_requests_another_host_or_scrolls_sideways_on_a_phone(phone: Visit, path: str) -> None:
    page = phone.open(path)
    foreign = [url for url in phone.requests if not url.startswith(phone.base_url) and not url.startswith("data:")]
    assert not foreign, f"{path} requested {foreign}"
    assert not phone.errors, f"{path} raised {phone.errors}"
    width = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width[0] <= width[1], f"{path} scrolls sideways on a phone: {width[0]} px wide in {width[1]} px"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", KINDS, ids=list(KINDS))
def test_no_serious_accessibility_violation(visit: Visit, kind: str, scheme: str) -> None:
    assert AXE.exists(), "axe-core is missing: run `npm ci` (./dev test does it)"
    page = visit.open(KINDS[kind])
    if scheme == "dark":
        page.evaluate("__md_set('__palette', {index: 1})")
        page.reload()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"{kind} page, {scheme}:\n" + "\n".join(serious)


# Material's own colours for the result count and the matched words fell short of AA contrast in both
# schemes; guides.css sets them.
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_search_dialog_with_results_has_no_serious_accessibility_violation(visit: Visit, scheme: str) -> None:
    # The dialog with the site's worker's results in it (marks, "more on this page") and the error
    # lookup's entries on top.
    page = visit.open("")
    if scheme == "dark":
        page.evaluate("__md_set('__palette', {index: 1})")
        page.reload()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    page.keyboard.press("/")
    page.keyboard.type("Invalid API-key")
    expect(page.locator(".md-search-result__item.error-lookup-result").first).to_be_visible()
    expect(page.locator(".md-search-result__item:not(.error-lookup-result) mark").first).to_be_visible()
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("axe.run(document.querySelector('.md-search'), {resultTypes: ['violations']})")
    serious = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, f"search dialog, {scheme}:\n" + "\n".join(serious)


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots_of_a_guide(visit: Visit, phone: Visit, scheme: str, device: str) -> None:
    viewer = phone if device == "phone" else visit
    page = viewer.open("exchanges/kraken-spot/")
    if scheme == "dark":
        page.evaluate("__md_set('__palette', {index: 1})")
        page.reload()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    SCREENSHOTS.mkdir(exist_ok=True)
    target = SCREENSHOTS / f"kraken-spot-{device}-{scheme}.png"
    page.screenshot(path=str(target), full_page=True)
    assert target.stat().st_size > 10_000


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_screenshots_of_the_search_dialog(visit: Visit, phone: Visit, scheme: str, device: str) -> None:
    # Material's dialog, answered by the site's worker: for a person to look at, light and dark.
    viewer = phone if device == "phone" else visit
    page = viewer.open("exchanges/kraken-spot/")
    if scheme == "dark":
        page.evaluate("__md_set('__palette', {index: 1})")
        page.reload()
        expect(page.locator("body")).to_have_attribute("data-md-color-scheme", "slate")
    OPEN_SEARCH["phone icon" if device == "phone" else "slash"](page)
    page.keyboard.type("passphrase")
    expect(page.locator(".md-search-result__item").first).to_contain_text("passphrase", ignore_case=True)
    expect(page.locator(".md-search-result__meta")).to_contain_text("matching")
    SCREENSHOTS.mkdir(exist_ok=True)
    target = SCREENSHOTS / f"search-{device}-{scheme}.png"
    page.screenshot(path=str(target))
    assert target.stat().st_size > 10_000
    assert not viewer.errors
