"""The key check: each venue's permission probe, the reference checker that runs it through CCXT,
and the validator that keeps a probe from ever naming a request that could move funds."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from urllib.parse import urlsplit

import ccxt
import pytest

from conftest import ROOT, Project
from venuekit.validate import VenueErrors, load_venues

sys.path.insert(0, str(ROOT / "docs" / "examples"))
from check_key import check_key, read_answer  # noqa: E402

FIXTURES = ROOT / "tests" / "probes"
SPOT = "exchanges/kraken-spot.yml"
VENUES = {lv.venue.slug: lv.venue for lv in load_venues(ROOT / "exchanges", ROOT)}


@pytest.fixture(scope="module")
def index(built: Project) -> dict:
    return json.loads((built.site / "help" / "index.json").read_text(encoding="utf-8"))


def _fixture(slug: str) -> dict:
    return json.loads((FIXTURES / f"{slug}.json").read_text(encoding="utf-8"))


PROBED = sorted(slug for slug, venue in VENUES.items() if not hasattr(venue.probe, "none"))
UNPROBED = sorted(set(VENUES) - set(PROBED))
ANSWERS = [(slug, i) for slug in PROBED for i in range(len(_fixture(slug)["answers"]))]


class Recorder:
    """Stands in for the network under a real CCXT exchange: it answers every request with one
    body and records what was sent."""

    def __init__(self, body: object) -> None:
        self.body = body
        self.sent: list[tuple[str, str]] = []

    def __call__(self, url: str, method: str = "GET", headers: object = None, body: object = None) -> object:
        self.sent.append((method, url))
        if isinstance(self.body, Exception):
            raise self.body
        return self.body


# Gemini's CCXT client signs only account keys, whose names start with `account-`.
TEST_KEY = "account-0123456789"


def _exchange(ident: str, answer: object, api_key: str = TEST_KEY) -> tuple[ccxt.Exchange, Recorder, dict]:
    cls = getattr(ccxt, ident)
    # Dummy values of every credential CCXT requires; the secret is valid base64, as Kraken's must be.
    names = [name for name, needed in cls().requiredCredentials.items() if needed]
    credentials = {name: "c2VjcmV0LXZhbHVl" for name in names} | {"apiKey": api_key}
    exchange = cls(credentials)
    recorder = Recorder(answer)
    exchange.fetch = recorder
    return exchange, recorder, credentials


def test_every_venue_has_a_probe_or_says_why_not(index: dict) -> None:
    for venue in index["venues"]:
        probe = venue["probe"]
        assert probe["available"] == (venue["slug"] in PROBED)
        if probe["available"]:
            assert probe["method"] in ("GET", "POST") and probe["path"].startswith("/") and probe["signals"]
        else:
            assert probe["reason"], venue["slug"]
        assert probe["section"] == venue["sections"]["done"]


@pytest.mark.parametrize("slug", PROBED)
def test_each_probe_is_tested_against_its_venue_documented_answers(slug: str) -> None:
    fixture = _fixture(slug)
    verdicts = {answer["verdict"] for answer in fixture["answers"]}
    assert {"trade-only", "can-withdraw"} <= verdicts, f"tests/probes/{slug}.json needs both verdicts"
    venue = VENUES[slug]
    cited = {s.url: s for s in venue.sources}
    assert fixture["source"] in cited, f"the fixture's source is not one of {slug}'s sources"
    assert cited[fixture["source"]].publisher == "venue"
    assert all(answer["from"] for answer in fixture["answers"])


@pytest.mark.parametrize(("slug", "number"), ANSWERS, ids=[f"{s}-{n}" for s, n in ANSWERS])
def test_checker_sends_only_the_probe_and_reads_the_answer(index: dict, slug: str, number: int) -> None:
    answer = _fixture(slug)["answers"][number]
    venue = next(v for v in index["venues"] if v["slug"] == slug)
    ident = venue["ccxt"][0]
    exchange, recorder, credentials = _exchange(ident, answer["body"], answer.get("api_key", TEST_KEY))
    verdict = check_key(index, ident, credentials, exchange)
    assert (verdict.verdict, answer["from"]) == (answer["verdict"], answer["from"]), verdict.reason
    assert verdict.help == index["site_url"] + venue["sections"]["done"]
    # One request, the probe itself, and nothing else.
    probe = venue["probe"]
    assert len(recorder.sent) == 1, recorder.sent
    method, url = recorder.sent[0]
    assert method == probe["method"]
    assert urlsplit(url).path == probe["path"], url


@pytest.mark.parametrize("slug", PROBED)
def test_an_answer_that_does_not_say_is_never_trade_only(index: dict, slug: str) -> None:
    probe = next(v for v in index["venues"] if v["slug"] == slug)["probe"]
    for empty in ({}, [], None, "", {"result": {}}, {"data": []}, [[]]):
        assert read_answer(probe, empty).verdict == "unknown", empty
    # A fund-moving value of another type than documented (a string "false", a 0 for false) is not
    # read as off.
    for signal in probe["signals"]:
        if {"withdraw", "transfer"} & set(signal["capability"]) and signal["equals"] is True:
            assert read_answer({**probe, "signals": [signal]}, {signal["field"]: "false"}).verdict == "unknown"


@pytest.mark.parametrize("slug", UNPROBED)
def test_a_venue_without_a_probe_is_unknown_and_sends_nothing(index: dict, slug: str) -> None:
    venue = next(v for v in index["venues"] if v["slug"] == slug)
    ident = venue["ccxt"][0]
    exchange, recorder, credentials = _exchange(ident, AssertionError("no request may be sent"))
    verdict = check_key(index, ident, credentials, exchange)
    assert verdict.verdict == "unknown"
    assert verdict.reason.startswith(venue["probe"]["reason"])
    assert recorder.sent == []


def test_a_refused_probe_is_unknown_not_trade_only(index: dict) -> None:
    exchange, recorder, credentials = _exchange("binance", ccxt.AuthenticationError('{"code":-2015}'))
    verdict = check_key(index, "binance", credentials, exchange)
    assert verdict.verdict == "unknown"
    assert "AuthenticationError" in verdict.reason
    assert len(recorder.sent) == 1


def test_a_permission_the_venue_does_not_document_makes_the_answer_unknown(index: dict) -> None:
    probe = next(v for v in index["venues"] if v["slug"] == "bitget")["probe"]
    assert read_answer(probe, {"data": {"authorities": ["stow", "stor"]}}).verdict == "trade-only"
    assert read_answer(probe, {"data": {"authorities": ["stow", "wwow"]}}).verdict == "can-withdraw"
    # Another spelling of the withdrawal code, or a permission Bitget adds later, is never harmless.
    for other in ("wwow ", "Wwow", "WWOW", "ww​ow", "withdraw", "wwor"):
        verdict = read_answer(probe, {"data": {"authorities": ["stow", other]}})
        assert verdict.verdict == "unknown", other
        assert other in verdict.reason


def test_a_number_matches_written_as_a_number_or_as_text() -> None:
    # BingX-style permission codes: whether they come as numbers or text, 5 is the withdrawal.
    probe = {
        "signals": [
            {"capability": ["withdraw"], "field": "data.permissions", "equals": None, "contains": 5},
            {"capability": ["trade"], "field": "data.permissions", "equals": None, "contains": 1},
        ],
        "gaps": [],
        "known": [{"field": "data.permissions", "values": [1, 2, 5]}],
    }
    for answer, verdict in (
        ([1, 2], "trade-only"),
        (["1", "2"], "trade-only"),
        ("1,2", "trade-only"),
        ([1, 5], "can-withdraw"),
        (["5"], "can-withdraw"),
        ("2 5", "can-withdraw"),
        ([1, 9], "unknown"),
        ([True, 1], "unknown"),
        ([2], "cannot-trade"),
    ):
        assert read_answer(probe, {"data": {"permissions": answer}}).verdict == verdict, answer


@pytest.mark.skipif(shutil.which("node") is None, reason="node is installed by ./dev test")
def test_javascript_checker_agrees_with_the_python_one(built: Project, index: dict) -> None:
    cases = []
    for slug in PROBED:
        probe = next(v for v in index["venues"] if v["slug"] == slug)["probe"]
        for answer in _fixture(slug)["answers"]:
            cases.append((probe, answer["body"], answer.get("api_key", TEST_KEY)))
        cases += [(probe, {}, ""), (probe, None, "")]
    numbers = {
        "signals": [{"capability": ["withdraw"], "field": "p", "equals": None, "contains": 5}],
        "gaps": [],
        "known": [{"field": "p", "values": [1, 5]}],
    }
    cases += [(numbers, {"p": answer}, "") for answer in ([1], ["5"], "1,5", [1, 9], [True], [None], [0])]
    script = (
        f"const {{ readAnswer }} = require({json.dumps(str(ROOT / 'docs' / 'examples' / 'check_key.js'))});"
        f"const cases = {json.dumps(cases)};"
        "console.log(JSON.stringify(cases.map(([p, a, k]) => readAnswer(p, a, k))));"
    )
    result = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    expected = [vars(read_answer(p, a, k)) | {"help": None} for p, a, k in cases]
    got = [dict(v, help=None) for v in json.loads(result.stdout)]
    assert got == expected


# --- The validator: a probe only ever reads ---------------------------------------------------------

KRAKEN_PROBE = "  path: /0/private/GetApiKeyInfo\n  ccxt: privatePostGetApiKeyInfo\n"


def _refused(project: Project) -> str:
    with pytest.raises(VenueErrors) as caught:
        load_venues(project.root / "exchanges", project.root)
    return caught.value.report()


@pytest.mark.parametrize(
    ("path", "ccxt_name", "word"),
    [
        ("/0/private/Withdraw", "privatePostWithdraw", "'withdraw' names a request that moves funds"),
        ("/0/private/WITHDRAW", None, "'withdraw' names a request that moves funds"),
        ("/0/private/with_draw", None, "names a request that moves funds"),
        # A look-alike letter: a path is plain ASCII, so it is refused for its form.
        ("/0/private/w\u0456thdraw", None, "does not have the expected form"),
        ("/sapi/v1/capital/withdraw/apply", None, "'apply' names a request that writes"),
        ("/0/private/WalletTransfer", None, "'transfer' names a request that moves funds"),
        ("/v5/asset/transfer/universal-transfer", None, "names a request that moves funds"),
        ("/v2/auth/w/transfer", None, "'w' names a request that writes"),
        ("/api/v2/private/submit_transfer_to_user", None, "'submit' names a request that writes"),
        ("/0/private/Payout", None, "'payout' names a request that moves funds"),
        ("/0/private/SendFunds", None, "'send' names a request that writes"),
        ("/0/private/GetApiKeyInfo", "privatePostWithdraw", "'withdraw' names a request that moves funds"),
        ("/0/private/CancelAll", None, "'cancel' names a request that writes"),
    ],
)
def test_a_probe_that_could_write_or_move_funds_is_refused(project: Project, path, ccxt_name, word) -> None:
    project.edit(SPOT, KRAKEN_PROBE, f"  path: {path}\n" + (f"  ccxt: {ccxt_name}\n" if ccxt_name else ""))
    report = _refused(project)
    assert f"{SPOT}:" in report and "probe.path: " in report and word in report, report


def test_a_probe_may_read_about_withdrawals(project: Project) -> None:
    project.edit(SPOT, KRAKEN_PROBE, "  path: /0/private/WithdrawStatus\n  ccxt: privatePostWithdrawStatus\n")
    assert load_venues(project.root / "exchanges", project.root)


def test_a_probe_naming_an_endpoint_of_a_forbidden_permission_is_refused(project: Project) -> None:
    project.edit(
        "exchanges/deribit.yml",
        "  path: /api/v2/private/list_api_keys\n  ccxt: privateGetListApiKeys\n",
        "  path: /api/v2/private/get_submit_transfer_to_user_history\n",
    )
    project.edit(
        "exchanges/deribit.yml",
        "      - private/submit_transfer_to_user\n",
        "      - private/get_submit_transfer_to_user_history\n",
    )
    assert "which forbidden permission" in _refused(project)


def test_a_probe_whose_ccxt_method_sends_another_request_is_refused(project: Project) -> None:
    project.edit(SPOT, "  ccxt: privatePostGetApiKeyInfo\n", "  ccxt: privatePostBalance\n")
    report = _refused(project)
    assert "probe.ccxt: CCXT's 'privatePostBalance' sends POST Balance, not POST /0/private/GetApiKeyInfo" in report
    project.edit(SPOT, "  ccxt: privatePostBalance\n", "  ccxt: privatePostGetApiKeyInf\n")
    report = _refused(project)
    assert "'privatePostGetApiKeyInf' is not an implicit-API method of CCXT for kraken" in report
    assert "(CCXT calls POST /0/private/GetApiKeyInfo `privatePostGetApiKeyInfo`)" in report


def test_a_probe_that_cannot_see_withdrawals_is_refused(project: Project) -> None:
    project.edit(
        SPOT,
        "    - capability: [withdraw, transfer]\n      field: result.permissions\n      contains: withdraw-funds\n",
        "    - capability: [transfer]\n      field: result.permissions\n      contains: withdraw-funds\n",
    )
    report = _refused(project)
    assert "probe.signals: no signal shows whether a key can withdraw" in report
    assert "add one, or a `gaps:` entry with `capability: withdraw`" in report


def test_a_signal_needs_exactly_one_test(project: Project) -> None:
    project.edit(SPOT, "      contains: withdraw-funds\n", "      contains: withdraw-funds\n      equals: true\n")
    assert "probe.signals[0]: give the value that shows the capability: `equals:` or `contains:`" in _refused(project)


def test_a_rule_that_counts_days_says_from_what(project: Project) -> None:
    project.edit("exchanges/okx.yml", "    counts_from: last-use\n", "")
    report = _refused(project)
    assert "exchanges/okx.yml:" in report and "rules[0].counts_from: the rule counts 14 days; say from what" in report


# --- What the reader and the app see -----------------------------------------------------------------


def test_help_index_gives_the_app_the_key_lifecycle(index: dict) -> None:
    binance = next(v for v in index["venues"] if v["slug"] == "binance-spot")
    lapse = next(r for r in binance["lifecycle"] if r["kind"] == "ip-whitelist")
    assert (lapse["days"], lapse["counts_from"], lapse["effect"], lapse["without_ip_whitelist"]) == (
        30,
        "permission-on",
        "trading-off",
        True,
    )
    assert lapse["section"] == "exchanges/binance-spot/#key-rules"
    okx = next(v for v in index["venues"] if v["slug"] == "okx")
    assert [(r["days"], r["counts_from"], r["effect"]) for r in okx["lifecycle"]] == [(14, "last-use", "disabled")]
    # Limits are not a key's lifecycle.
    assert all(r["kind"] != "limit" for v in index["venues"] for r in v["lifecycle"])


def test_each_guide_says_what_the_key_test_checks_and_what_it_cannot(built: Project) -> None:
    binance = built.page("exchanges/binance-spot")
    done = binance[binance.index('id="done"') : binance.index('id="quick-facts"')]
    assert "What the test checks on Binance." in done
    assert "Binance's answer shows whether the key can withdraw, transfer funds out and trade." in done
    # The probe shows trading, so the page no longer says that a pass does not.
    assert "A pass does not show that the key can trade" not in done
    okx = built.page("exchanges/okx")
    done = okx[okx.index('id="done"') : okx.index('id="quick-facts"')]
    assert "OKX's answer shows whether the key can withdraw and trade." in done
    bitstamp = built.page("exchanges/bitstamp")
    done = bitstamp[bitstamp.index('id="done"') : bitstamp.index('id="quick-facts"')]
    assert "What the test cannot check on Bitstamp." in done
    assert "Bitstamp's API documents no request that reports what a key may do" in done
    assert "the ✗ Never rows you ticked above are the only check" in done
    assert "A pass does not show that the key can trade" in done
