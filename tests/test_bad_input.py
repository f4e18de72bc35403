"""A mistake in a venue file stops the build with one clear error, and the previous site stays whole."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest

from conftest import Project
from venuekit.validate import VenueErrors, load_venues

SPOT = "exchanges/kraken-spot.yml"


def _line(project: Project, relative: str, text: str) -> int:
    lines = (project.root / relative).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if text in line)


def syntax_error(p: Project) -> str:
    p.edit(SPOT, "venue: Kraken\n", "venue: [Kraken\n")
    return f"{SPOT}:{_line(p, SPOT, 'slug: kraken-spot')}: YAML syntax error"


def duplicate_key(p: Project) -> str:
    p.edit(SPOT, "product: spot\n", "product: spot\nslug: kraken-spot-2\n")
    first = _line(p, SPOT, "slug: kraken-spot")
    return f"{SPOT}:{first + 2}: slug: duplicate key (first set on line {first}); keep one"


def unknown_field(p: Project) -> str:
    p.edit(SPOT, "summary: >-", "sumary: >-")
    return f"{SPOT}:{_line(p, SPOT, 'sumary:')}: sumary: unknown field (did you mean 'summary'?); valid fields here:"


def missing_field(p: Project) -> str:
    verified = re.search(r"^verified: .*\n", p.venue("kraken-spot").read_text(encoding="utf-8"), re.M)[0]
    p.edit(SPOT, verified, "")
    # A missing field has no line of its own: the error points at the top of the file's data.
    line = _line(p, SPOT, "name: Kraken Spot")
    return f"{SPOT}:{line}: verified: required field is missing (The date the whole guide was last checked"


def wrong_type(p: Project) -> str:
    p.edit("exchanges/kraken-futures.yml", "key_limit: 50", "key_limit: fifty")
    line = _line(p, "exchanges/kraken-futures.yml", "key_limit: fifty")
    return f"exchanges/kraken-futures.yml:{line}: facts.key_limit: input should be a valid integer"


def withdraw_allowed(p: Project) -> str:
    p.edit(SPOT, "    capability: withdraw\n    state: forbidden", "    capability: withdraw\n    state: optional")
    line = _line(p, SPOT, "state: optional")
    return f"{SPOT}:{line}: permissions[2].state: 'Withdraw' can move funds out (withdraw) and must be `forbidden`"


def withdraw_missing(p: Project) -> str:
    text = (p.root / SPOT).read_text(encoding="utf-8")
    start = text.index("  - label: Withdraw\n")
    end = text.index("  - label: Earn\n")
    (p.root / SPOT).write_text(text[:start] + text[end:], encoding="utf-8")
    return f"{SPOT}:{_line(p, SPOT, 'permissions:')}: permissions: no withdrawal permission is declared"


def transfer_mislabelled(p: Project) -> str:
    p.edit(SPOT, "  - label: Earn\n", "  - label: Transfer Funds\n")
    line = _line(p, SPOT, "capability: earn")
    return (
        f"{SPOT}:{line}: permissions[3].capability: 'Transfer Funds' speaks of moving funds ('transfer' in its label)"
    )


def error_claimed_twice(p: Project) -> str:
    p.edit(SPOT, '  - errors: ["EAPI:Invalid signature"]', '  - errors: ["EAPI:Invalid signature", "EAPI:Invalid key"]')
    line = _line(p, SPOT, '"EAPI:Invalid signature", "EAPI:Invalid key"')
    return (
        f"{SPOT}:{line}: troubleshooting[1].errors[1]: 'EAPI:Invalid key' is already listed by entry 0; "
        "an app looking it up must find one entry"
    )


def same_slug(p: Project) -> str:
    text = p.venue("kraken-spot").read_text(encoding="utf-8").replace("ccxt: [kraken]", "ccxt: [krakencopy]")
    (p.root / "exchanges" / "kraken-copy.yml").write_text(text, encoding="utf-8")
    line = _line(p, "exchanges/kraken-copy.yml", "slug: kraken-spot")
    return f"exchanges/kraken-spot.yml:{line}: slug: slug 'kraken-spot' is already used by exchanges/kraken-copy.yml"


def raw_html(p: Project) -> str:
    p.edit(SPOT, "  Create a Kraken Spot API key", "  Create a <b>Kraken</b> Spot API key")
    line = _line(p, SPOT, "summary: >-")
    return f"{SPOT}:{line}: summary: raw HTML or an autolink '<b>' is not allowed; write Markdown instead"


def empty_file(p: Project) -> str:
    (p.root / "exchanges" / "new-venue.yml").write_text("# just a comment\n", encoding="utf-8")
    return "exchanges/new-venue.yml: the file is empty"


def not_utf8(p: Project) -> str:
    (p.root / "exchanges" / "latin1.yml").write_bytes(b"name: Kraken\nvenue: Caf\xe9\n")
    return "exchanges/latin1.yml:2: the file is not UTF-8 (byte 0xe9); save it as UTF-8"


def slug_not_file_name(p: Project) -> str:
    # Found by the fuzz test: a changed slug was reported only as a broken link from Kraken Futures.
    p.edit(SPOT, "slug: kraken-spot\n", "slug: kraken-pro\n")
    return f"{SPOT}:{_line(p, SPOT, 'slug: kraken-pro')}: slug: 'kraken-pro' is not the file's name 'kraken-spot'"


def no_credentials_step(p: Project) -> str:
    p.edit(SPOT, "    kind: credentials\n", "")
    return (
        f"{SPOT}:{_line(p, SPOT, 'steps:')}: steps: no step has `kind: credentials`; mark the last step, where the "
        "reader pastes the key into the platform"
    )


def credentials_not_last(p: Project) -> str:
    p.edit(SPOT, "    kind: where\n", "    kind: credentials\n")
    line = _line(p, SPOT, "kind: credentials")
    return f"{SPOT}:{line}: steps[0].kind: the `credentials` step must be the last step"


def two_checklists(p: Project) -> str:
    p.edit(SPOT, "    kind: settings\n", "    kind: permissions\n")
    lines = [i for i, text in enumerate((p.root / SPOT).read_text().splitlines(), 1) if text == "    kind: permissions"]
    return f"{SPOT}:{lines[1]}: steps[4].kind: step 4 is already `kind: permissions`; a page part sits in one step"


def warning_at_a_missing_step(p: Project) -> str:
    p.edit(SPOT, "    at: credentials\n", "    at: ip-whitelist\n")
    line = _line(p, SPOT, "at: ip-whitelist")
    return f"{SPOT}:{line}: warnings[2].at: no step has `kind: ip-whitelist`; give `at:` a kind a step has"


def mild_warning_in_the_never_box(p: Project) -> str:
    p.edit(SPOT, "    at: credentials\n", "    at: never\n")
    line = _line(p, SPOT, "title: Check for stray spaces") - 1
    return f"{SPOT}:{line}: warnings[2].at: only a `level: danger` note goes in the never box, not `level: info`"


def cannot_on_a_key_form(p: Project) -> str:
    # `cannot` (nothing to turn on) belongs to an agent wallet's fixed powers, never to a key form's box.
    _withdraw_state(p, "cannot")
    line = _line(p, SPOT, "state: cannot")
    return (
        f"{SPOT}:{line}: permissions[2].state: `cannot` says no key can ever do 'Withdraw', which only an agent "
        "wallet's fixed powers guarantee (`access: agent-wallet`)"
    )


def agent_wallet_naming_no_secret(p: Project) -> str:
    _as_agent_wallet(p)
    return (
        f"{SPOT}:{_line(p, SPOT, 'name: Kraken Spot')}: never_share: an agent-wallet venue must name what the "
        "platform never receives: the main wallet's private key and its recovery phrase"
    )


def agent_wallet_without_its_address(p: Project) -> str:
    _as_agent_wallet(p)
    return (
        f"{SPOT}:{_line(p, SPOT, 'credentials:')}: credentials: no credential maps to `ccxt: walletAddress`; an "
        "agent wallet is used with the main wallet's address (walletAddress)"
    )


def agent_wallet_withdraw_allowed(p: Project) -> str:
    _as_agent_wallet(p)
    _withdraw_state(p, "required")
    line = _withdraw_state_line(p)
    return (
        f"{SPOT}:{line}: permissions[2].state: 'Withdraw' can move funds out (withdraw) and must be `forbidden`, "
        "`cannot` or `limited`, not `required`"
    )


def limited_without_its_limit(p: Project) -> str:
    # "Limited" must say how far: the page shows that sentence instead of "never".
    _as_agent_wallet(p)
    _withdraw_state(p, "limited")
    line = _line(p, SPOT, "  - label: Withdraw")
    return (
        f"{SPOT}:{line}: permissions[2].limit: 'Withdraw': a `limited` permission says how far it can move funds "
        "in `limit:`"
    )


def _as_agent_wallet(p: Project) -> None:
    p.edit(SPOT, "ccxt: [kraken]\n", "ccxt: [kraken]\naccess: agent-wallet\n")


def _withdraw_state(p: Project, state: str) -> None:
    p.edit(SPOT, "    capability: withdraw\n    state: forbidden", f"    capability: withdraw\n    state: {state}")


def _withdraw_state_line(p: Project) -> int:
    lines = (p.root / SPOT).read_text(encoding="utf-8").splitlines()
    at = next(i for i, line in enumerate(lines) if line == "    capability: withdraw")
    return at + 2


def secret_asked_as_a_credential(p: Project) -> str:
    # A value the reader must never give is never one of the fields the guide tells them to fill.
    p.edit(
        SPOT,
        "\nrules:\n",
        "\nnever_share:\n  - label: Private Key\n    why: It signs for the account.\n"
        "    sources: [kraken-pro-api-keys]\n\nrules:\n",
    )
    line = _line(p, SPOT, "  - label: Private key")
    return f"{SPOT}:{line}: credentials[1].label: 'Private key' is listed in `never_share`: the platform must never"


CASES: dict[str, Callable[[Project], str]] = {
    "cannot on a key form": cannot_on_a_key_form,
    "agent wallet naming no secret": agent_wallet_naming_no_secret,
    "agent wallet without the wallet address": agent_wallet_without_its_address,
    "agent wallet allowed to withdraw": agent_wallet_withdraw_allowed,
    "limited without its limit": limited_without_its_limit,
    "a never-share value asked as a credential": secret_asked_as_a_credential,
    "no credentials step": no_credentials_step,
    "credentials not last": credentials_not_last,
    "two checklist steps": two_checklists,
    "warning at a missing step": warning_at_a_missing_step,
    "mild warning in the never box": mild_warning_in_the_never_box,
    "YAML syntax error": syntax_error,
    "duplicate key": duplicate_key,
    "slug not the file name": slug_not_file_name,
    "unknown field": unknown_field,
    "missing required field": missing_field,
    "wrong type": wrong_type,
    "withdraw not forbidden": withdraw_allowed,
    "withdraw missing": withdraw_missing,
    "transfer under another capability": transfer_mislabelled,
    "same slug twice": same_slug,
    "error string in two entries": error_claimed_twice,
    "raw HTML": raw_html,
    "empty file": empty_file,
    "not UTF-8": not_utf8,
}


@pytest.mark.parametrize("make_mistake", CASES.values(), ids=CASES.keys())
def test_validation_names_file_line_field_and_what_is_valid(project: Project, make_mistake) -> None:
    expected = make_mistake(project)
    with pytest.raises(VenueErrors) as caught:
        load_venues(project.root / "exchanges", project.root)
    report = caught.value.report()
    assert expected in report, f"expected {expected!r} in:\n{report}"


@pytest.mark.parametrize("make_mistake", [withdraw_allowed, syntax_error, not_utf8], ids=["unsafe", "syntax", "utf8"])
def test_a_failed_build_exits_non_zero_and_leaves_the_previous_site(project: Project, make_mistake) -> None:
    project.site.mkdir()
    previous = project.site / "index.html"
    previous.write_text("the previous site", encoding="utf-8")
    expected = make_mistake(project)
    result = project.build()
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert previous.read_text(encoding="utf-8") == "the previous site"


@pytest.mark.parametrize("value", ["1", "0", "true"])
def test_only_serve_itself_keeps_going_past_a_broken_file(project: Project, value: str) -> None:
    # Serve marks its own process so that a broken file shows on the page; a build given the same
    # variable by hand, or inheriting it, still refuses.
    expected = withdraw_allowed(project)
    result = project.build(env={"VENUE_PAGES_PREVIEW": value})
    assert result.returncode != 0
    assert expected in result.stderr, result.stderr
    assert not project.site.exists()


def test_every_broken_file_is_reported_in_one_run(project: Project) -> None:
    expected = [withdraw_allowed(project), empty_file(project), not_utf8(project), wrong_type(project)]
    result = project.build()
    assert result.returncode != 0
    assert "4 problems in the venue files:" in result.stderr
    for message in expected:
        assert message in result.stderr, f"{message!r} missing from:\n{result.stderr}"


def test_a_guide_the_platform_cannot_sign_for_is_refused_with_the_platforms_setting(project: Project) -> None:
    # The steps say "choose the HMAC key" without "if the platform supports it": the build makes
    # that true by refusing a guide whose key type the platform's client cannot sign with.
    project.edit("mkdocs.yml", "      key_types: [hmac, ecdsa]", "      key_types: [ecdsa]")
    result = project.build()
    assert result.returncode != 0
    line = _line(project, SPOT, "key_types:")
    assert (
        f"{SPOT}:{line}: facts.key_types[0]: the guide creates a `hmac` key, which the platform cannot sign with "
        "(`extra.platform.supports.key_types` in mkdocs.yml: ecdsa)"
    ) in result.stderr, result.stderr
    assert "exchanges/coinbase-advanced-trade.yml" not in result.stderr
