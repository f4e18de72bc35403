"""The venue data checked by the real CCXT package, the client the platform runs: its exchange ids,
the credentials it asks for, and the exception class it raises for each troubleshooting error."""

from __future__ import annotations

import pytest

from conftest import ROOT, Project
from venuekit.ccxtids import ccxt_calls, ccxt_certified, ccxt_errors
from venuekit.ccxtmap import KEY_ERRORS, common_class, error_map, lineage, required_credentials
from venuekit.model import Venue
from venuekit.validate import VenueErrors, load_venues

VENUES = [loaded.venue for loaded in load_venues(ROOT / "exchanges", ROOT)]
IDS = [(v, ident) for v in VENUES for ident in v.ccxt]


def _mapped(venue: Venue, error: str) -> set[str]:
    found: set[str] = set()
    for ident in venue.ccxt:
        found |= error_map(ident, venue.product.value).classes(error)
    return found


def test_every_ccxt_id_is_an_exchange_of_the_installed_ccxt() -> None:
    import ccxt

    for venue in VENUES:
        assert set(venue.ccxt) <= set(ccxt.exchanges), venue.slug
        assert not set(venue.legacy_ccxt) & set(ccxt.exchanges), venue.slug


def test_the_error_classes_read_from_source_are_ccxts_own() -> None:
    from ccxt.base import errors

    classes = {name for name in dir(errors) if isinstance(getattr(errors, name), type)}
    assert {name for name in classes if issubclass(getattr(errors, name), errors.BaseError)} == set(ccxt_errors())
    for name, parent in ccxt_errors().items():
        assert parent is None or getattr(errors, name).__bases__[0].__name__ == parent


def test_the_certified_set_read_from_source_is_ccxts_own(built: Project) -> None:
    import ccxt

    # Each exchange's `certified` flag as the real client reports it, inheritance included.
    assert ccxt_certified() == {ident for ident in ccxt.exchanges if getattr(ccxt, ident)().certified}
    covered = {ident for venue in VENUES for ident in venue.ccxt} & ccxt_certified()
    home = built.page("")
    count = f"They cover {len(covered)} of the {len(ccxt_certified())} exchanges that CCXT, the client the platform "
    count += "runs, marks as certified"
    assert count in home
    for ident in ccxt_certified() - covered:
        assert f"<code>{ident}</code>" in home[home.index(count) : home.index("</p>", home.index(count))]


def test_each_probe_method_is_the_request_ccxt_sends() -> None:
    import ccxt

    for venue in VENUES:
        probe = venue.probe
        if hasattr(probe, "none") or probe.ccxt is None:
            continue
        call = next(ccxt_calls(ident)[probe.ccxt] for ident in venue.ccxt if probe.ccxt in ccxt_calls(ident))
        exchange = getattr(ccxt, venue.ccxt[0])()
        # The real client has the method, and it is the entry read from CCXT's source.
        assert callable(getattr(exchange, probe.ccxt)), venue.slug
        assert (call.method, call.path) == (probe.method, probe.path[-len(call.path) :]), venue.slug


@pytest.mark.parametrize(("venue", "ident"), IDS, ids=[f"{v.slug}-{i}" for v, i in IDS])
def test_the_credentials_are_exactly_what_ccxt_asks_for(venue: Venue, ident: str) -> None:
    # A reader pastes each value the guide lists into the platform; CCXT refuses to sign without
    # every value its exchange class requires, and has no field for anything more.
    listed = {c.ccxt.value for c in venue.credentials}
    assert listed == required_credentials(ident), (
        f"{venue.slug}: the guide lists {sorted(listed)}, CCXT's {ident} needs {sorted(required_credentials(ident))}"
    )


@pytest.mark.parametrize("venue", VENUES, ids=[v.slug for v in VENUES])
def test_each_entry_names_the_class_ccxt_raises_for_its_errors(venue: Venue) -> None:
    wrong = []
    for i, entry in enumerate(venue.troubleshooting):
        classes = set().union(*(_mapped(venue, e) for e in entry.errors))
        if not classes:
            continue
        expected = common_class(classes)
        if expected in ("BaseError", "ExchangeError", "OperationFailed") and expected not in classes:
            wrong.append(f"troubleshooting[{i}] mixes errors CCXT raises as {sorted(classes)}: split the entry")
        elif entry.ccxt_error != expected:
            wrong.append(
                f"troubleshooting[{i}] {entry.errors}: ccxt_error is {entry.ccxt_error}, CCXT raises {expected}"
            )
    assert not wrong, f"{venue.slug}:\n" + "\n".join(wrong)


@pytest.mark.parametrize("venue", VENUES, ids=[v.slug for v in VENUES])
def test_a_declared_class_is_backed_by_ccxts_map(venue: Venue) -> None:
    # An entry that says "CCXT raises PermissionDenied" must carry an error string or code that
    # CCXT really maps so: a third party's misspelt string (Kraken's `EAPI:Permission denied` for
    # `EGeneral:Permission denied`) is caught here, because the app would never receive it.
    for i, entry in enumerate(venue.troubleshooting):
        if entry.ccxt_error is not None:
            assert any(_mapped(venue, e) for e in entry.errors), (
                f"{venue.slug} troubleshooting[{i}]: none of {entry.errors} is in CCXT's map for {venue.ccxt}, "
                f"so CCXT does not raise {entry.ccxt_error} for them"
            )


@pytest.mark.parametrize("venue", VENUES, ids=[v.slug for v in VENUES])
def test_key_errors_are_never_explained_as_something_else(venue: Venue) -> None:
    # An error CCXT raises as a key problem (authentication, permission, suspended account, nonce)
    # is explained by an entry of that kind, not lumped in with a rate limit or an outage.
    for entry in venue.troubleshooting:
        for error in entry.errors:
            for name in _mapped(venue, error) & set(KEY_ERRORS):
                kinds = lineage(name) - {"ExchangeError", "OperationFailed", "NetworkError", "BaseError"}
                assert entry.ccxt_error in kinds, (
                    f"{venue.slug}: {error!r} is a CCXT {name}, but its entry says {entry.ccxt_error}"
                )


def test_kraken_permission_error_is_the_string_kraken_and_ccxt_use() -> None:
    kraken = next(v for v in VENUES if v.slug == "kraken-spot")
    errors = [e for entry in kraken.troubleshooting for e in entry.errors]
    assert "EGeneral:Permission denied" in errors
    assert error_map("kraken").classes("EGeneral:Permission denied") == {"PermissionDenied"}
    assert "EAPI:Permission denied" not in errors


def test_an_unknown_ccxt_error_class_is_refused_with_the_nearest_one(project: Project) -> None:
    project.edit("exchanges/kraken-spot.yml", "ccxt_error: InvalidNonce", "ccxt_error: InvalidNounce")
    with pytest.raises(VenueErrors) as caught:
        load_venues(project.root / "exchanges", project.root)
    assert "troubleshooting[4].ccxt_error: 'InvalidNounce' is not an error class of CCXT" in caught.value.report()
    assert "did you mean 'InvalidNonce'?" in caught.value.report()


def test_the_help_index_and_the_page_show_the_ccxt_class(built: Project) -> None:
    import json

    index = json.loads((built.site / "help" / "index.json").read_text(encoding="utf-8"))
    kraken = next(v for v in index["venues"] if v["slug"] == "kraken-spot")
    by_error = {e: entry["ccxt_error"] for entry in kraken["errors"] for e in entry["errors"]}
    assert by_error["EGeneral:Permission denied"] == "PermissionDenied"
    assert by_error["EAPI:Invalid nonce"] == "InvalidNonce"
    page = built.page("exchanges/kraken-spot")
    assert "CCXT raises <code>PermissionDenied</code>" in page


def test_the_left_out_list_names_only_uncovered_ccxt_key_errors() -> None:
    # bench/errors-left-out.yml explains the CCXT key errors a guide leaves out; an entry there for
    # a code CCXT no longer maps, or that the guide now covers, is stale.
    import yaml

    left_out = yaml.safe_load((ROOT / "bench" / "errors-left-out.yml").read_text(encoding="utf-8"))
    by_slug = {v.slug: v for v in VENUES}
    for slug, reasons in left_out.items():
        venue = by_slug[slug]
        known = {key for ident in venue.ccxt for key, _, _ in error_map(ident, venue.product.value).key_errors()}
        listed = {e for entry in venue.troubleshooting for e in entry.errors}
        for code, reason in reasons.items():
            assert code in known, f"{slug}: {code!r} is not a CCXT key error of {venue.ccxt}"
            assert code not in listed, f"{slug}: {code!r} has an entry now; drop it from the left-out list"
            assert len(reason) > 10, f"{slug}: {code!r} needs a reason"
