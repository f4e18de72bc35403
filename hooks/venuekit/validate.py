"""Loading every venue file and checking it, alone and against the others, with errors that say where."""

from __future__ import annotations

import difflib
import hashlib
import os
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import BaseModel, ValidationError

from .ccxtids import ccxt_calls, ccxt_errors, ccxt_exchanges
from .model import (
    API_PATH,
    ERROR_ID,
    FIELD_PATH,
    FUND_MOVING,
    SLUG_PATTERN,
    URL_PATTERN,
    Capability,
    NoProbe,
    Permission,
    Probe,
    Requirement,
    State,
    Supports,
    Venue,
)
from .safety import OFF_SETTINGS, fund_words, is_off_setting, probe_problem, reads_records_only, skeleton
from .yamlfile import Loc, YamlDoc, YamlProblem, paused_gc, read_yaml

_UNION_TAG = re.compile(r"^[a-z][a-z-]*\[.*\]$")
_SLUG_LINE = re.compile(r"^slug:\s*([a-z0-9-]+)\s*$", re.MULTILINE)

_PROBE_FORMS = {"probe[request]": Probe, "probe[none]": NoProbe}

RESERVED_SLUGS = frozenset({"index", "compare", "go", "help", "assets", "search", "contributing", "app-links"})


@dataclass(frozen=True, order=True)
class Problem:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class VenueErrors(Exception):
    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems)
        super().__init__(self.report())

    def report(self) -> str:
        count = len(self.problems)
        head = f"{count} problem{'s' if count != 1 else ''} in the venue files:"
        return "\n".join([head, *(f"  {p}" for p in self.problems)])


@dataclass(frozen=True)
class LoadedVenue:
    venue: Venue
    name: str
    """The file as errors and edit links name it, relative to the project: `exchanges/kraken-spot.yml`."""
    digest: str = ""
    """The hash of the file's bytes: a page made from this venue is rendered again only when it changes."""


def venue_files(directory: Path) -> list[Path]:
    return sorted(p for p in directory.glob("*.yml") if not p.name.startswith("_"))


@dataclass
class VenueLoad:
    """Every venue file read and checked: the venues that passed, and the problems of those that did not."""

    venues: list[LoadedVenue]
    problems: list[Problem]
    broken: dict[str, set[str]]
    """Each file with a problem, and the slugs it answers for (its `slug:` line and its file name)."""


def load_venues(directory: Path, root: Path | None = None, supports: Supports | None = None) -> list[LoadedVenue]:
    """Every venue in `directory`, checked; raises VenueErrors listing all problems in all files."""
    result = read_venues(directory, root, supports)
    if result.problems:
        raise VenueErrors(result.problems)
    return result.venues


# Each file's own check, by everything it reads: the file's name and bytes, the platform's client and
# the day. A preview rebuilds on every save and checks again only the files whose bytes changed; the
# checks across files run every time. Holds the last build's files only.
_checked: dict[tuple[str, bytes, str, date], tuple[YamlDoc, Venue | None, list[Problem]]] = {}


def read_venues(directory: Path, root: Path | None = None, supports: Supports | None = None) -> VenueLoad:
    """Every venue in `directory`, checked; a file with any problem is left out of `venues`. With
    `supports` (the platform's), a guide the platform's client cannot follow is a problem too."""
    with paused_gc():
        return _read_venues(directory, root or directory.parent, supports)


def _read_venues(directory: Path, root: Path, supports: Supports | None) -> VenueLoad:
    problems: list[Problem] = []
    loaded: list[tuple[LoadedVenue, YamlDoc]] = []
    broken: dict[str, set[str]] = {}
    prefix = os.path.relpath(directory, root).replace(os.sep, "/") + "/"
    checked: dict[tuple[str, bytes, str, date], tuple[YamlDoc, Venue | None, list[Problem]]] = {}
    for path in venue_files(directory):
        name = prefix + path.name
        key = (name, path.read_bytes(), supports.model_dump_json() if supports else "", date.today())
        if key in _checked:
            doc, venue, found = checked[key] = _checked[key]
        else:
            try:
                doc = read_yaml(path, key[1])
            except YamlProblem as err:
                problems.append(Problem(name, err.line, err.field, err.message))
                broken[name] = {path.stem, *_SLUG_LINE.findall(key[1].decode("utf-8", "replace"))}
                continue
            venue, found = check_venue(doc, name, supports=supports)
            checked[key] = (doc, venue, found)
        problems.extend(found)
        if found:
            slug = doc.data.get("slug") if isinstance(doc.data, dict) else None
            broken[name] = {path.stem, *([slug] if isinstance(slug, str) else [])}
        if venue is not None:
            loaded.append((LoadedVenue(venue, name, hashlib.sha256(key[1]).hexdigest()), doc))
    _checked.clear()
    _checked.update(checked)
    # The slugs of files that failed still count, so links to them are not blamed as well.
    declared = {lv.venue.slug for lv, _ in loaded}.union(*broken.values())
    across = _check_across(loaded, declared)
    problems.extend(across)
    for lv, _ in loaded:
        if any(problem.file == lv.name for problem in across):
            broken.setdefault(lv.name, set()).add(lv.venue.slug)
    venues = [lv for lv, _ in loaded if lv.name not in broken]
    venues.sort(key=lambda lv: (lv.venue.name.casefold(), lv.venue.slug))
    return VenueLoad(venues, sorted(problems), broken)


def check_venue(
    doc: YamlDoc, name: str, today: date | None = None, supports: Supports | None = None
) -> tuple[Venue | None, list[Problem]]:
    if not isinstance(doc.data, dict):
        kind = type(doc.data).__name__
        return None, [Problem(name, 1, "", f"a venue file is a mapping of fields (name: ..., slug: ...), not a {kind}")]
    try:
        venue = Venue.model_validate(doc.data)
    except ValidationError as err:
        return None, [_problem_from(e, doc, name) for e in err.errors()]
    found = _check_rules(venue, doc.data, today or date.today())
    if supports is not None and venue.facts.key_types[0] not in supports.key_types:
        signs = ", ".join(k.value for k in supports.key_types)
        found.append(
            (
                ("facts", "key_types", 0),
                f"the guide creates a `{venue.facts.key_types[0].value}` key, which the platform cannot sign with "
                f"(`extra.platform.supports.key_types` in mkdocs.yml: {signs}); put a type it signs with first",
            )
        )
    stem = PurePosixPath(name).stem
    if venue.slug != stem:
        found.append(
            (
                ("slug",),
                f"'{venue.slug}' is not the file's name '{stem}'; a guide's slug and file name are the same. "
                "To rename a published guide, rename the file too and keep the old slug in `former_slugs`",
            )
        )
    return venue, [Problem(name, doc.line_of(loc), _dotted(loc), msg) for loc, msg in found]


def _check_rules(venue: Venue, data: dict[str, Any], today: date) -> list[tuple[Loc, str]]:
    """The rules that span fields of one file: the safety rule first."""
    found: list[tuple[Loc, str]] = []
    if not any(Capability.withdraw in p.capabilities for p in venue.permissions):
        found.append(
            (
                ("permissions",),
                "no withdrawal permission is declared; list the venue's withdrawal permission with its exact "
                "label, `capability: withdraw` and `state: forbidden`, so the guide tells readers to leave it off",
            )
        )
    # An agent wallet's powers are fixed by the venue: what it cannot do is `cannot`, not a box to leave off.
    safe = {State.forbidden, State.cannot, State.limited} if venue.agent_wallet else {State.forbidden}
    must = "`forbidden`, `cannot` or `limited`" if venue.agent_wallet else "`forbidden`"
    for i, perm in enumerate(venue.permissions):
        # The rule reads meaning, not spelling: a label, alias or API flag that speaks of moving
        # funds makes the permission fund-moving, whatever its capability says.
        named = next(((field, word) for field, text in _names(perm) if (word := fund_words(text))), None)
        # A box that only reads withdrawal or transfer records (MEXC's View Deposit/Withdrawal Details,
        # which CCXT needs to connect) may be on, when every name of it says so and it can do nothing else.
        if (
            named
            and perm.capabilities <= READ_ONLY
            and all(reads_records_only(text) for _, text in _names(perm) if fund_words(text))
        ):
            named = None
        if (perm.moves_funds or named) and perm.state not in safe:
            if perm.moves_funds:
                why = f"can move funds out ({', '.join(sorted(c.value for c in perm.capabilities & FUND_MOVING))})"
            else:
                why = f"speaks of moving funds ('{named[1]}' in its {named[0]})"
            found.append(
                (("permissions", i, "state"), f"'{perm.label}' {why} and must be {must}, not `{perm.state.value}`")
            )
        if perm.state in (State.cannot, State.limited) and not venue.agent_wallet:
            says = "no key can ever do" if perm.state == State.cannot else "every key can do, within a limit,"
            found.append(
                (
                    ("permissions", i, "state"),
                    f"`{perm.state.value}` says {says} '{perm.label}', which only an agent wallet's fixed powers "
                    "guarantee (`access: agent-wallet`); on a key form, a fund-moving box is `forbidden`",
                )
            )
        if (perm.state == State.limited) != (perm.limit is not None):
            found.append(
                (
                    ("permissions", i, "limit" if perm.limit is None else "state"),
                    f"'{perm.label}': a `limited` permission says how far it can move funds in `limit:`, "
                    "and only a `limited` one has `limit:`",
                )
            )
        if named and not perm.moves_funds:
            found.append(
                (
                    ("permissions", i, "capability"),
                    f"'{perm.label}' speaks of moving funds ('{named[1]}' in its {named[0]}) but its capability "
                    "says otherwise; use `withdraw` or `transfer`",
                )
            )
        if perm.state == State.forbidden and perm.setting and not is_off_setting(perm.setting):
            found.append(
                (
                    ("permissions", i, "setting"),
                    f"forbidden permission '{perm.label}' can only be kept at an off setting, not "
                    f"'{perm.setting}' (valid: {', '.join(sorted(OFF_SETTINGS))}, as the venue's form words it)",
                )
            )
        if perm.state in (State.forbidden, State.limited) and not perm.risk:
            found.append(
                (
                    ("permissions", i, "risk"),
                    f"{perm.state.value} permission '{perm.label}' needs `risk:` saying what a leaked key with it "
                    "could do",
                )
            )
    for loc, value in _dates(venue):
        if value > today:
            found.append((loc, f"{value.isoformat()} is in the future; give the date the fact was checked"))
    known = ccxt_exchanges()
    for i, ident in enumerate(venue.ccxt):
        if ident not in known:
            hint = _did_you_mean(ident, known)
            found.append(
                (
                    ("ccxt", i),
                    f"'{ident}' is not an exchange id of CCXT (the pinned release){hint}; an id CCXT has retired "
                    "goes in `legacy_ccxt`",
                )
            )
    if not venue.ccxt and not (venue.retired and venue.legacy_ccxt):
        found.append(
            (
                ("ccxt",),
                "give the venue's CCXT id; only a retired venue whose ids CCXT dropped keeps them in "
                "`legacy_ccxt` alone",
            )
        )
    for i, ident in enumerate(venue.legacy_ccxt):
        if ident in known:
            found.append((("legacy_ccxt", i), f"'{ident}' is a current CCXT id; move it to `ccxt`"))
    errors = ccxt_errors()
    for i, entry in enumerate(venue.troubleshooting):
        if entry.ccxt_error is not None and entry.ccxt_error not in errors:
            hint = _did_you_mean(entry.ccxt_error, errors)
            found.append(
                (
                    ("troubleshooting", i, "ccxt_error"),
                    f"'{entry.ccxt_error}' is not an error class of CCXT (the pinned release){hint}; "
                    "give the class CCXT raises for these errors, e.g. `AuthenticationError` or `PermissionDenied`",
                )
            )
    found += _check_steps(venue)
    found += _check_probe(venue)
    for i, rule in enumerate(venue.rules):
        if rule.days is not None and rule.counts_from is None:
            found.append(
                (
                    ("rules", i, "counts_from"),
                    f"the rule counts {rule.days} days; say from what with `counts_from:` "
                    "(creation, last-use, permission-on, chosen-date or password-change), so the app can count them",
                )
            )
    found += _check_credentials(venue)
    ids = {s.id for s in venue.sources}
    seen_ids: dict[str, int] = {}
    for i, source in enumerate(venue.sources):
        if source.id in seen_ids:
            found.append((("sources", i, "id"), f"source id '{source.id}' is used twice; ids must be unique"))
        seen_ids[source.id] = i
    for loc, ref in source_refs(data, ()):
        if ref not in ids:
            hint = _did_you_mean(ref, ids)
            found.append((loc, f"cites source '{ref}', which `sources` does not define{hint}"))
    claimed: dict[str, int] = {}
    for i, trouble in enumerate(venue.troubleshooting):
        for j, error in enumerate(trouble.errors):
            if error in claimed and claimed[error] != i:
                found.append(
                    (
                        ("troubleshooting", i, "errors", j),
                        f"'{error}' is already listed by entry {claimed[error]}; an app looking it up must find "
                        "one entry, so keep it in the entry that explains it",
                    )
                )
            claimed.setdefault(error, i)
    seen: dict[str, int] = {}
    for i, trouble in enumerate(venue.troubleshooting):
        # Every entry's anchor starts with `error-`, so none can take a section's id.
        anchor = trouble_id(trouble.id, trouble.errors[0])
        if anchor in seen:
            found.append(
                (
                    ("troubleshooting", i),
                    f"anchor '{anchor}' is already used by entry {seen[anchor]}; give one an `id:`",
                )
            )
        seen[anchor] = i
    for i, trouble in enumerate(venue.troubleshooting):
        for j, former in enumerate(trouble.former_ids):
            if former in seen and seen[former] != i:
                found.append(
                    (
                        ("troubleshooting", i, "former_ids", j),
                        f"anchor '{former}' is already used by entry {seen[former]}; a former id must be free",
                    )
                )
            seen.setdefault(former, i)
    return found


# What a box that only reads records may be declared to do.
READ_ONLY = frozenset({Capability.read, Capability.balances, Capability.data})


def _check_credentials(venue: Venue) -> list[tuple[Loc, str]]:
    """The platform gets what trades and nothing that moves funds: an agent-wallet venue gives the
    agent's private key and the main wallet's address, and names the main wallet's secrets, which no
    credential may be."""
    found: list[tuple[Loc, str]] = []
    ccxt_fields = [c.ccxt for c in venue.credentials]
    if venue.agent_wallet:
        for needed in ("walletAddress", "privateKey"):
            if needed not in ccxt_fields:
                found.append(
                    (
                        ("credentials",),
                        f"no credential maps to `ccxt: {needed}`; an agent wallet is used with the main wallet's "
                        "address (walletAddress) and the agent's own private key (privateKey)",
                    )
                )
        if not venue.never_share:
            found.append(
                (
                    ("never_share",),
                    "an agent-wallet venue must name what the platform never receives: the main wallet's private "
                    "key and its recovery phrase, by the names the wallet uses",
                )
            )
    else:
        for needed in ("apiKey", "secret"):
            if needed not in ccxt_fields and not (needed == "secret" and "privateKey" in ccxt_fields):
                found.append((("credentials",), f"no credential maps to `ccxt: {needed}`; every key has one"))
    secrets = {skeleton(s.label) for s in venue.never_share}
    for i, credential in enumerate(venue.credentials):
        if skeleton(credential.label) in secrets:
            found.append(
                (
                    ("credentials", i, "label"),
                    f"'{credential.label}' is listed in `never_share`: the platform must never receive it",
                )
            )
    return found


_ONE_STEP = {
    "where": "the step that opens the venue's API key page",
    "permissions": "the step where the reader sets the permissions",
    "copy-once": "the step where the venue shows the secret",
    "credentials": "the last step, where the reader pastes the key into the platform",
}


def _check_steps(venue: Venue) -> list[tuple[Loc, str]]:
    """Each part of the page sits in exactly one step, and the paste into the platform comes last."""
    found: list[tuple[Loc, str]] = []
    at: dict[str, int] = {}
    for i, step in enumerate(venue.steps):
        if step.kind in at and step.kind not in ("action", "confirm-2fa"):
            found.append(
                (
                    ("steps", i, "kind"),
                    f"step {at[step.kind] + 1} is already `kind: {step.kind}`; a page part sits in one step",
                )
            )
        at.setdefault(step.kind, i)
    for kind, what in _ONE_STEP.items():
        if kind not in at:
            found.append((("steps",), f"no step has `kind: {kind}`; mark {what}"))
    if "credentials" in at and at["credentials"] != len(venue.steps) - 1:
        found.append(
            (
                ("steps", at["credentials"], "kind"),
                "the `credentials` step must be the last step; the guide's check follows it",
            )
        )
    if "settings" not in at and "ip-whitelist" not in at and venue.facts.ip_whitelist != Requirement.unavailable:
        found.append(
            (("steps",), "no step has `kind: ip-whitelist` (or `settings`); mark where the reader adds the addresses")
        )
    for i, note in enumerate(venue.warnings):
        if note.at == "never" and note.level != "danger":
            found.append(
                (("warnings", i, "at"), f"only a `level: danger` note goes in the never box, not `level: {note.level}`")
            )
        elif note.at not in ("never", "security") and note.at not in at:
            found.append(
                (("warnings", i, "at"), f"no step has `kind: {note.at}`; give `at:` a kind a step has, or `security`")
            )
    return found


def _check_probe(venue: Venue) -> list[tuple[Loc, str]]:
    """The probe only reads, reports every fund-moving permission the venue has (or says it cannot),
    and is the request CCXT sends under the name it gives."""
    probe = venue.probe
    if not isinstance(probe, Probe):
        return []
    found: list[tuple[Loc, str]] = []
    if problem := probe_problem(probe.path, probe.ccxt):
        found.append((("probe", "path"), problem))
    for perm in venue.permissions:
        for unlock in perm.unlocks if perm.state == State.forbidden else []:
            method, _, route = unlock.rpartition(" ")
            route = "/" + route.strip("/")
            if method.upper() != "GET" and route != "/" and probe.path.casefold().endswith(route.casefold()):
                found.append(
                    (
                        ("probe", "path"),
                        f"'{probe.path}' is '{unlock}', which forbidden permission '{perm.label}' "
                        "unlocks; the probe may only read",
                    )
                )
    for i, signal in enumerate(probe.signals):
        if (signal.equals is None) == (signal.contains is None):
            found.append(
                (
                    ("probe", "signals", i),
                    "give the value that shows the capability: `equals:` or `contains:`, one of them",
                )
            )
    gaps = {g.capability for g in probe.gaps}
    for i, gap in enumerate(probe.gaps):
        if gap.capability in probe.reported:
            found.append(
                (("probe", "gaps", i, "capability"), f"a signal reports `{gap.capability}`; drop the gap or the signal")
            )
    needed = {Capability.withdraw.value: "the venue's withdrawal permission"}
    for perm in venue.permissions:
        if perm.state == State.forbidden:
            for cap in perm.capabilities & FUND_MOVING:
                needed.setdefault(cap.value, f"'{perm.label}'")
    for cap, what in needed.items():
        if cap not in probe.reported and cap not in gaps:
            found.append(
                (
                    ("probe", "signals"),
                    f"no signal shows whether a key can {cap} ({what}); add one, or a `gaps:` entry "
                    f"with `capability: {cap}` saying why the response cannot tell",
                )
            )
    if probe.ccxt is not None:
        calls = [ccxt_calls(ident).get(probe.ccxt) for ident in venue.ccxt]
        call = next((c for c in calls if c is not None), None)
        if call is None:
            same = sorted(
                c.name
                for ident in venue.ccxt
                for c in ccxt_calls(ident).values()
                if c.method == probe.method and probe.path.endswith("/" + c.path)
            )
            hint = (
                f" (CCXT calls {probe.method} {probe.path} `{same[0]}`)"
                if same
                else _did_you_mean(probe.ccxt, [name for ident in venue.ccxt for name in ccxt_calls(ident)])
            )
            found.append(
                (
                    ("probe", "ccxt"),
                    f"'{probe.ccxt}' is not an implicit-API method of CCXT for {', '.join(venue.ccxt)}{hint}",
                )
            )
        elif call.method != probe.method or not probe.path.endswith("/" + call.path):
            found.append(
                (
                    ("probe", "ccxt"),
                    f"CCXT's '{probe.ccxt}' sends {call.method} {call.path}, not {probe.method} {probe.path}; "
                    "name the method that sends the probe's request",
                )
            )
    return found


def _check_across(loaded: list[tuple[LoadedVenue, YamlDoc]], slugs: set[str]) -> list[Problem]:
    problems: list[Problem] = []
    owners: dict[str, str] = {}
    ccxt_owner: dict[str, str] = {}

    for lv, doc in loaded:
        venue, name = lv.venue, lv.name
        if venue.slug in RESERVED_SLUGS:
            problems.append(
                Problem(name, doc.line_of(("slug",)), "slug", f"'{venue.slug}' is reserved by the site; pick another")
            )
        for loc, slug in [(("slug",), venue.slug)] + [
            (("former_slugs", i), s) for i, s in enumerate(venue.former_slugs)
        ]:
            if slug in owners:
                problems.append(
                    Problem(name, doc.line_of(loc), _dotted(loc), f"slug '{slug}' is already used by {owners[slug]}")
                )
            else:
                owners[slug] = name
        for i, ident in enumerate(venue.ccxt):
            if ident in ccxt_owner:
                problems.append(
                    Problem(
                        name,
                        doc.line_of(("ccxt", i)),
                        f"ccxt[{i}]",
                        f"CCXT id '{ident}' is already claimed by {ccxt_owner[ident]}; "
                        f"/go/{ident}/ must lead to one guide",
                    )
                )
            else:
                ccxt_owner[ident] = name
        successor = venue.retired.successor if venue.retired else None
        if successor is not None and (successor not in slugs or successor == venue.slug):
            loc = ("retired", "successor")
            hint = _did_you_mean(successor, slugs - {venue.slug})
            problems.append(
                Problem(name, doc.line_of(loc), _dotted(loc), f"no other venue file has slug '{successor}'{hint}")
            )
        for i, rel in enumerate(venue.related):
            if rel.slug not in slugs:
                loc = ("related", i, "slug")
                hint = _did_you_mean(rel.slug, slugs)
                problems.append(
                    Problem(name, doc.line_of(loc), _dotted(loc), f"no venue file has slug '{rel.slug}'{hint}")
                )
    return problems


def _names(perm: Permission) -> list[tuple[str, str]]:
    # What a reader or an app could take a permission to be called: its label, aliases and API flags.
    names = [("label", perm.label), *(("aka", alias) for alias in perm.aka)]
    return names + ([("article_label", perm.article_label)] if perm.article_label else [])


def _dates(venue: Venue) -> list[tuple[Loc, date]]:
    # Every date in a venue file that says when something was checked.
    found: list[tuple[Loc, date]] = [(("verified",), venue.verified), (("facts", "as_of"), venue.facts.as_of)]
    found += [(("retired", "on"), venue.retired.on)] if venue.retired else []
    found += [(("facts", "extra", i, "as_of"), f.as_of) for i, f in enumerate(venue.facts.extra)]
    found += [(("sources", i, "checked"), s.checked) for i, s in enumerate(venue.sources)]
    return found


def trouble_id(explicit: str | None, first_error: str) -> str:
    """The anchor of a troubleshooting entry: explicit, or `error-` and the error string in slug form."""
    if explicit:
        return explicit
    slug = re.sub(r"[^a-z0-9]+", "-", first_error.lower()).strip("-")
    return f"error-{slug or 'entry'}"


def source_refs(value: Any, loc: Loc = ()) -> list[tuple[Loc, str]]:
    # Every `sources: [id, ...]` list of references in the file's data, with where it stands.
    refs: list[tuple[Loc, str]] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sources" and isinstance(item, list) and item and isinstance(item[0], str):
                refs.extend(((*loc, "sources", i), ref) for i, ref in enumerate(item))
            elif isinstance(item, dict | list):
                refs.extend(source_refs(item, (*loc, key)))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict | list):
                refs.extend(source_refs(item, (*loc, i)))
    return refs


def _problem_from(error: dict[str, Any], doc: YamlDoc, name: str) -> Problem:
    # Pydantic names the branch of a union in the path (`list[str-enum[Capability]]`); those parts
    # go. The last part of an unknown field is the file's own key, whatever it looks like.
    kind, given = error["type"], error.get("input")
    *path, last = error["loc"] or ("",)
    loc: Loc = tuple(part for part in path if not (isinstance(part, str) and _UNION_TAG.match(part)))
    if kind == "extra_forbidden" or not (isinstance(last, str) and _UNION_TAG.match(last)):
        loc = (*loc, last)
    msg = error["msg"][0].lower() + error["msg"][1:]
    if kind == "extra_forbidden":
        # In the probe, pydantic's tag says which of its two forms the file took.
        tag = next((part for part in error["loc"] if part in _PROBE_FORMS), None)
        allowed = list(_PROBE_FORMS[tag].model_fields) if tag and len(loc) == 2 else _allowed_fields(loc[:-1])
        hint = _did_you_mean(str(loc[-1]), allowed)
        message = f"unknown field{hint}; valid fields here: {', '.join(allowed)}"
    elif kind == "missing":
        message = f"required field is missing{_describe(loc)}"
    elif given is None:
        valid = f"; {msg}" if kind in ("enum", "literal_error") else ""
        message = f"is empty: fill it in{valid}{_describe(loc)}"
    elif kind == "too_short":
        count = error["ctx"]["min_length"]
        message = f"needs at least {count} item{'s' if count != 1 else ''}{_describe(loc)}"
    elif kind in ("enum", "literal_error"):
        message = f"{msg} (got {given!r})"
    elif kind == "string_pattern_mismatch":
        message = f"{given!r} does not have the expected form {_pattern_help(error['ctx']['pattern'])}"
    elif kind.endswith("_type") or kind.endswith("_parsing"):
        message = f"{msg} (got {type(given).__name__} {given!r})"
    elif kind == "value_error":
        message = str(error["ctx"]["error"])
    else:
        message = msg
    return Problem(name, doc.line_of(loc), _dotted(loc), message)


def _pattern_help(pattern: str) -> str:
    return {
        SLUG_PATTERN: "(lower-case letters, digits and single hyphens, e.g. kraken-spot)",
        r"^[a-z0-9]+$": "(a CCXT id: lower-case letters and digits, e.g. krakenfutures)",
        ERROR_ID: "(`error-` then lower-case letters, digits and single hyphens, e.g. error-invalid-key)",
        URL_PATTERN: "(an https:// address of plain URL characters; write others %-encoded)",
        API_PATH: "(the request's path as the venue documents it, e.g. /api/v5/account/config: plain letters, "
        "digits, `-`, `_` and `/`, no query string)",
        FIELD_PATH: "(keys and list indexes separated by dots, e.g. data.0.perm, and [i=value] for a row, e.g. "
        "[0=withdraw].2)",
    }.get(pattern, f"(pattern {pattern})")


def _model_at(loc: Loc) -> type[BaseModel] | None:
    # The model class a location inside a venue file points into.
    model: Any = Venue
    for part in loc:
        if isinstance(part, int) or model is None:
            continue
        info = model.model_fields.get(part)
        if info is None:
            return None
        model = _inner_model(info.annotation)
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found:
            return found
    return None


def _allowed_fields(loc: Loc) -> list[str]:
    model = _model_at(loc)
    return list(model.model_fields) if model else []


def _describe(loc: Loc) -> str:
    model = _model_at(loc[:-1])
    info = model.model_fields.get(str(loc[-1])) if model else None
    if info and info.description:
        return f" ({info.description.splitlines()[0]})"
    return ""


def _did_you_mean(word: str, options: Any) -> str:
    close = difflib.get_close_matches(word, list(options), n=1)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _dotted(loc: Loc) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out
