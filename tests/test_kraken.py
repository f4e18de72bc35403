"""The Kraken guides carry every fact from the seed documents that a reader needs."""

from __future__ import annotations

import pytest

from conftest import Project, section, visible_text


@pytest.fixture(scope="module")
def spot(built: Project) -> str:
    return built.page("exchanges/kraken-spot")


@pytest.fixture(scope="module")
def futures(built: Project) -> str:
    return built.page("exchanges/kraken-futures")


def test_spot_guide_gives_both_menu_paths(spot: str) -> None:
    where = visible_text(section(spot, "where"))
    assert "Settings › API" in where and "Settings › Connections & API" in where


def test_futures_guide_gives_kraken_pro_and_kraken_futures_paths(futures: str) -> None:
    where = visible_text(section(futures, "where"))
    assert "Settings › Connections & API" in where and "Settings › API › Create Key" in where


@pytest.mark.parametrize(
    ("label", "endpoint"),
    [
        ("Query", "TradeBalance"),
        ("Withdraw", "WithdrawCancel"),
        ("Query open orders & trades", "OpenPositions"),
        ("Query closed orders & trades", "QueryTrades"),
        ("Create & modify orders", "AddOrderBatch"),
        ("Cancel & close orders", "CancelOrderBatch"),
        ("Query ledger entries", "QueryLedgers"),
        ("Export data", "RemoveExport"),
    ],
)
def test_spot_permissions_name_the_endpoints_they_unlock(spot: str, label: str, endpoint: str) -> None:
    rows = section(spot, "permissions").split("<tr>")
    row = next(visible_text(r) for r in rows if f"<strong>{label.replace('&', '&amp;')}</strong>" in r)
    assert endpoint in row


def test_futures_access_levels_are_full_for_general_and_none_for_withdrawal(futures: str) -> None:
    checklist = visible_text(section(futures, "permissions"))
    assert "✓ Set to Full access General API" in checklist
    assert "✗ Keep at No access Withdrawal API" in checklist


@pytest.mark.parametrize(
    ("setting", "advice"),
    [
        ("WebSocket interface", "On"),
        ("IP address restriction", "On, with the platform's addresses"),
        ("Key expiration", "Optional"),
        ("Query start date / Query end date", "Leave empty"),
        ("Custom nonce window", "Off"),
        ("2FA for API key", "Off"),
    ],
)
def test_spot_key_settings_carry_a_recommendation(spot: str, setting: str, advice: str) -> None:
    assert f"{setting} : choose {advice} " in visible_text(section(spot, "settings"))


def test_creation_steps_include_2fa_and_the_copy_once_moment(spot: str, futures: str) -> None:
    for page in (spot, futures):
        steps = visible_text(page[page.index('id="steps"') : page.index('id="quick-facts"')])
        assert "Two-factor confirmation" in steps
        assert "Kraken shows the Private key once" in steps


@pytest.mark.parametrize(
    "error",
    [
        "EAPI:Invalid key",
        "EAPI:Invalid signature",
        "EGeneral:Permission denied",
        "EGeneral:Temporary lockout",
        "EAPI:Invalid nonce",
    ],
)
def test_spot_troubleshooting_covers_kraken_s_key_errors(spot: str, error: str) -> None:
    anchor = "error-" + error.lower().replace(":", "-").replace(" ", "-")
    assert error in visible_text(section(spot, anchor))


@pytest.mark.parametrize("former", ["error-eapi-permission-denied", "error-egeneral-permission-denied-expired"])
def test_links_to_the_corrected_permission_entry_still_land_on_it(spot: str, former: str) -> None:
    # A third party's `EAPI:Permission denied` was corrected to Kraken's `EGeneral:Permission denied`;
    # the app's links to the old anchors land on the corrected entry.
    entry = section(spot, "error-egeneral-permission-denied")
    assert f'id="{former}"' in entry
    assert "EAPI:Permission denied" not in visible_text(spot)


@pytest.mark.parametrize(
    "fact",
    [
        "Starter",  # verification level
        "Express",
        "XBT",  # asset aliases
        "XDG",
        "kraken-spot",  # labelling the keys apart
        "stray space",
        "90 days",  # rotation
        "sub-account",
        "alerts",
        "GetWebSocketsToken",
        "EAPI:Invalid signature",  # what key 2FA demands of a client
    ],
)
def test_spot_guide_mentions_seed_fact(spot: str, fact: str) -> None:
    assert fact.lower() in visible_text(spot).lower()


def test_futures_guide_states_the_50_key_limit(futures: str) -> None:
    assert "Up to 50 keys" in visible_text(section(futures, "quick-facts"))
