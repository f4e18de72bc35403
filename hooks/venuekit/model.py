"""The venue file's data model: one source of truth for validation, the JSON Schema and the scaffold."""

from __future__ import annotations

import ipaddress
import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StringConstraints,
    Tag,
)

from .safety import line_problem, markup_problem, tag_problem


def _markdown(value: str) -> str:
    # Venue text is Markdown without raw HTML, extension directives or links other than https.
    if problem := markup_problem(value):
        raise ValueError(problem)
    return value


def _one_line(value: str) -> str:
    if problem := line_problem(value) or markup_problem(value):
        raise ValueError(problem)
    return value


def _exact(value: str) -> str:
    # Exact strings (error messages) are shown literally, in code; one that holds a tag is refused
    # all the same, as no venue's error message does and every page, menu and index repeats it.
    if problem := line_problem(value) or tag_problem(value):
        raise ValueError(problem)
    return value


# Every text field has a size the schema states, so no value can swell a page or an error line.
Text = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=4000), AfterValidator(_markdown)
]
Label = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120), AfterValidator(_one_line)
]
SLUG_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Slug = Annotated[str, StringConstraints(pattern=SLUG_PATTERN, max_length=60)]
ERROR_ID = r"^error-[a-z0-9]+(-[a-z0-9]+)*$"
CcxtId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+$", max_length=40)]
# An https address of plain URL characters: nothing that could end a Markdown link or an attribute.
URL_PATTERN = r"^https://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~%!$&*+,;=:@/?#-]*)?$"
Url = Annotated[str, StringConstraints(pattern=URL_PATTERN, max_length=500)]
SourceRefs = Annotated[
    list[Slug],
    Field(min_length=1, description="Ids of entries in `sources` that state this fact."),
]


# Every guide has these sections, in this order; the ids are public (the app links to them). The
# steps come first; the parts a reader uses while following them (where, permissions, settings,
# ip-whitelist, credentials, done) sit inside the steps, each keeping its own id.
SECTIONS: tuple[tuple[str, str], ...] = (
    ("steps", "Create the key"),
    ("prerequisites", "Before you start"),
    ("where", "Where keys are made"),
    ("permissions", "Permission checklist"),
    ("settings", "Key settings"),
    ("ip-whitelist", "IP whitelist"),
    ("credentials", "Add the key to the platform"),
    ("done", "Check you are done"),
    ("quick-facts", "Quick facts"),
    ("related", "Other products"),
    ("key-rules", "Key rules"),
    ("security", "Stay safe"),
    ("pitfalls", "Common pitfalls"),
    ("troubleshooting", "Troubleshooting"),
    ("faq", "FAQ"),
    ("sources", "Sources"),
)

# The places in the steps a step kind marks: the parts of the page it carries and the two moments
# readers must not miss. A warning's `at:` names one of them, or the never box, or Stay safe.
StepPlace = Literal["where", "permissions", "settings", "ip-whitelist", "confirm-2fa", "copy-once", "credentials"]
StepKind = Literal["action", StepPlace]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, use_attribute_docstrings=True)


class Product(StrEnum):
    spot = "spot"
    margin = "margin"
    futures = "futures"
    perpetuals = "perpetuals"
    options = "options"
    derivatives = "derivatives"
    all = "all"


class Requirement(StrEnum):
    required = "required"
    recommended = "recommended"
    optional = "optional"
    unavailable = "unavailable"


class State(StrEnum):
    required = "required"
    optional = "optional"
    off = "off"
    forbidden = "forbidden"
    cannot = "cannot"
    limited = "limited"


class Capability(StrEnum):
    """What a permission lets a key do; the comparisons and the safety rule read it."""

    balances = "balances"
    read = "read"
    trade = "trade"
    cancel = "cancel"
    deposit = "deposit"
    withdraw = "withdraw"
    transfer = "transfer"
    earn = "earn"
    data = "data"
    other = "other"


# A key with either of these can move funds out of the account: the site exists to keep them off.
FUND_MOVING = frozenset({Capability.withdraw, Capability.transfer})


class KeyType(StrEnum):
    hmac = "hmac"
    ed25519 = "ed25519"
    rsa = "rsa"
    ecdsa = "ecdsa"


class CcxtField(StrEnum):
    apiKey = "apiKey"
    secret = "secret"
    password = "password"
    uid = "uid"
    privateKey = "privateKey"
    walletAddress = "walletAddress"


class Access(StrEnum):
    """How the platform gets access: the two kinds of venue the safety rule covers."""

    api_key = "api-key"
    """A key the venue issues from the account's settings, with permissions ticked on a form."""
    agent_wallet = "agent-wallet"
    """An on-chain venue: the account is the reader's own wallet, which approves an agent (API)
    wallet that can trade and cannot withdraw; the platform gets the agent's private key and the
    main wallet's address, never the main wallet's key."""


class Source(Strict):
    id: Slug
    """Short id that facts cite, e.g. `kraken-pro-api-keys`."""
    url: Url
    """The page's address (https)."""
    title: Label
    """The page's title as the page shows it."""
    publisher: Literal["venue", "platform", "third-party"]
    """Who wrote it: the venue itself, a trading platform, or another third party."""
    checked: date
    """The date someone read the page and checked the facts that cite it (YYYY-MM-DD)."""
    note: Text | None = None
    """What the check found where sources disagree: which says what, and what the guide follows."""


class Fact(Strict):
    label: Label
    """What the fact is about, as the quick-facts table shows it, e.g. `Key limit`."""
    value: Text
    """The fact, e.g. `Up to 50 keys`."""
    as_of: date
    """The date the fact was true (YYYY-MM-DD)."""
    sources: SourceRefs


class Rule(Strict):
    kind: Literal["expiry", "inactivity", "ip-whitelist", "password-change", "limit", "other"]
    """What the rule is about; the key-lifecycle comparison groups rules by it."""
    text: Text
    """The rule in one sentence, e.g. `A key expires on the date set under Key expiration.`"""
    days: int | None = Field(default=None, ge=1)
    """The number of days the rule counts, where it counts any."""
    counts_from: Literal["creation", "last-use", "permission-on", "chosen-date", "password-change"] | None = None
    """The event the rule counts from (or, without `days`, the event that sets it off): the key's
    `creation`, its `last-use`, a permission switched on (`permission-on`), the expiry date the
    reader chose (`chosen-date`), or a `password-change`. The help index gives it to the app."""
    effect: Literal["deleted", "disabled", "trading-off"] | None = None
    """What happens to the key: `deleted`, `disabled` (kept but refused), or `trading-off` (its
    trade permission is removed; it can still read). Where a source allows several, the strictest."""
    without_ip_whitelist: bool = False
    """Whether the rule applies only to a key with no IP whitelist, so whitelisting stops it."""
    sources: SourceRefs


class Facts(Strict):
    region: Text
    """Where the venue serves customers, or its regional domains."""
    account_2fa: Requirement
    """Whether the account needs two-factor authentication before a key can be made."""
    ip_whitelist: Requirement
    """Whether the venue requires an IP whitelist on a trading key (`unavailable`: it has none)."""
    key_types: list[KeyType] = Field(min_length=1)
    """The kinds of key the venue issues; the first is the one this guide creates."""
    key_limit: int | None = Field(default=None, ge=1)
    """The most keys one account may hold, where the venue states it."""
    shared_key: bool
    """Whether one key also serves the venue's other products (see `related`)."""
    key_scope: Text | None = None
    """Which account a key acts on: the master account, a sub-account, a portfolio, ..."""
    as_of: date
    """The date these facts were true (YYYY-MM-DD)."""
    sources: SourceRefs
    extra: list[Fact] = []
    """Any other fact a reader weighs before choosing the venue."""


class Related(Strict):
    slug: Slug
    """The slug of the venue file for the other product."""
    note: Text
    """How the two keys relate, e.g. that a key for one does not work on the other."""
    sources: SourceRefs


class Prerequisite(Strict):
    text: Text
    """What the reader needs before starting, e.g. a verification level."""
    sources: SourceRefs


class MenuPath(Strict):
    labels: list[Label] = Field(min_length=1)
    """The menu labels in order, exactly as the venue shows them; rendered `Settings › API`."""
    note: Text | None = None
    """Where to start, e.g. `from the profile icon in the top-right corner`."""
    sources: SourceRefs


class DirectUrl(Strict):
    address: Url
    """The address, e.g. `https://pro.kraken.com/app/settings/api`."""
    sources: SourceRefs


class Location(Strict):
    path: MenuPath
    """The usual way to the API key page."""
    alternatives: list[MenuPath] = []
    """Other ways to the same page."""
    url: DirectUrl | None = None
    """The direct address of the API key page, where a source gives one."""


class Step(Strict):
    title: Label
    """The step as a short instruction, e.g. `Click Create API key`."""
    text: Text | None = None
    """Detail a reader needs for the step, in Markdown."""
    kind: StepKind = "action"
    """What the step carries besides its text: `where` the way to the key page, `permissions` the
    checklist, `settings` the key settings (and the IP block if no step is `ip-whitelist`),
    `ip-whitelist` the platform's addresses, `credentials` (the last step) where each value goes in
    the platform; `confirm-2fa` and `copy-once` mark the two moments readers must not miss."""
    sources: SourceRefs


class Permission(Strict):
    label: Label
    """The permission's label exactly as the venue's form shows it."""
    group: Label | None = None
    """The heading the form shows it under, e.g. `Funds`."""
    article_label: Label | None = None
    """Where the venue's own help article names it differently from the form, the article's name,
    e.g. `Withdraw Funds`; the guide shows both, so a reader following either finds the box."""
    aka: list[Label] = []
    """Other names for it: API flags, older labels, the form in other languages."""
    setting: Label | None = None
    """For permissions set by choosing an option (radio buttons), the option to choose."""
    capability: Capability | Annotated[list[Capability], Field(min_length=1)]
    """What the permission lets a key do, one value or a list (e.g. `[trade, cancel]`).
    `withdraw` and `transfer` must be `forbidden` (or `cannot` or `limited`, on an agent-wallet venue)."""
    state: State
    """`required`: turn on; `optional`: the reader's choice; `off`: not needed, leave off;
    `forbidden`: never turn on (fund-moving permissions); `cannot`: the key can never do it, by the
    venue's design, so there is nothing to turn on; `limited`: the key can always do it, but only
    as `limit` says (the last two only with `access: agent-wallet`, whose powers the venue fixes)."""
    limit: Text | None = None
    """For a `limited` permission: exactly how far it can move funds, e.g. `only between the
    account's own balances`; the page says this instead of "never"."""
    why: Text
    """Why: what the platform uses it for, or what it unlocks."""
    unlocks: list[Label] = []
    """Endpoints or actions the permission unlocks, as the venue names them."""
    risk: Text | None = None
    """For forbidden permissions: what a leaked key with this permission could do."""
    sources: SourceRefs

    @property
    def capabilities(self) -> frozenset[Capability]:
        return frozenset(self.capability if isinstance(self.capability, list) else [self.capability])

    @property
    def moves_funds(self) -> bool:
        return bool(self.capabilities & FUND_MOVING)


class KeySetting(Strict):
    label: Label
    """The setting's label exactly as the venue shows it, e.g. `WebSocket interface`."""
    recommended: Label
    """The setting to choose, e.g. `On`, `Off` or `Leave empty`."""
    default: Label | None = None
    """The venue's default, where a source states it."""
    why: Text
    """Why this setting is recommended."""
    sources: SourceRefs


class IpWhitelist(Strict):
    field: Label | None = None
    """The label of the field where addresses are entered."""
    max_addresses: int | None = Field(default=None, ge=1)
    """The most addresses one key can whitelist, where the venue states it."""
    ipv6: bool = True
    """Whether the field accepts IPv6 addresses; when not, the page's address block leaves them out."""
    separator: Literal["comma", "space", "newline"] = "newline"
    """How the field wants several addresses separated; the copy-able block uses it."""
    text: Text
    """How the venue's IP restriction works (format, how many addresses, what happens without it)."""
    sources: SourceRefs


class Credential(Strict):
    label: Label
    """The value's name on the venue, e.g. `Private key`."""
    ccxt: CcxtField
    """The value's CCXT name; the platform's field for it comes from the site settings."""
    note: Text | None = None
    """Anything to know about the value, e.g. that it is shown only once."""
    sources: SourceRefs


class Secret(Strict):
    label: Label
    """What the reader holds that the platform must never receive, as the venue names it, e.g.
    `Private key` of the main wallet, or `Secret recovery phrase`."""
    why: Text
    """What someone holding it could do, e.g. withdraw everything the wallet owns."""
    sources: SourceRefs


class Retired(Strict):
    """A venue that closed, or a product it ended: its guide becomes a notice, and every address and
    anchor it published lands on that notice."""

    on: date
    """The date the venue closed or stopped the product (YYYY-MM-DD)."""
    what: Text
    """What happened, e.g. that the exchange closed and stopped trading."""
    successor: Slug | None = None
    """The guide readers went on to, where there is one, e.g. the venue's new brand."""
    where: Text | None = None
    """Where its users went, or what they do now (withdraw, move to another venue)."""
    sources: SourceRefs


class Note(Strict):
    level: Literal["danger", "warning", "info"] = "warning"
    """How serious: `danger` (funds at risk), `warning` (the key will fail) or `info`."""
    at: Literal["never", StepPlace, "security"] = "security"
    """Where the page says it, once: `never` in the box at the top that names the fund-moving
    permissions (danger only), a step kind (e.g. `copy-once`) in that step, or `security` in Stay safe."""
    title: Label
    """A short heading."""
    text: Text
    """The warning in Markdown."""
    sources: SourceRefs


class Tip(Strict):
    title: Label
    """A short heading."""
    text: Text
    """The tip or pitfall in Markdown."""
    sources: SourceRefs


class Trouble(Strict):
    errors: list[Annotated[str, StringConstraints(min_length=1, max_length=200), AfterValidator(_exact)]] = Field(
        min_length=1
    )
    """The exact error strings or codes the venue returns, as the app receives them."""
    ccxt_error: Annotated[str, StringConstraints(pattern=r"^[A-Z][A-Za-z]+$", max_length=40)] | None = None
    """The CCXT exception class the platform sees for these errors, e.g. `PermissionDenied`, as
    CCXT's error map for the exchange gives it; leave it out where CCXT does not map them."""
    id: Annotated[str, StringConstraints(pattern=ERROR_ID, max_length=60)] | None = None
    """The entry's anchor id, `error-...`; by default `error-` and the first error string in slug
    form. Once published, never change it."""
    former_ids: list[Annotated[str, StringConstraints(pattern=ERROR_ID, max_length=60)]] = []
    """Anchors the entry had before, e.g. before its error string was corrected: links to them
    keep landing here."""
    cause: Text
    """What makes the venue return this error."""
    fix: Text
    """What the reader does about it."""
    sources: SourceRefs


# The path of a value inside a JSON response: object keys and list indexes separated by dots, and
# `[i=value]` for the row of a list whose item (or key) `i` is `value`, or `[i=@apiKey]` for the row
# about the pasted key, e.g. `data.0.perm`, `[0=withdraw].2` or `result.[client_id=@apiKey].max_scope`.
_STEP = r"([A-Za-z0-9_-]+|\[[A-Za-z0-9_-]+=(@apiKey|[A-Za-z0-9_:-]+)\])"
FIELD_PATH = rf"^{_STEP}(\.{_STEP})*$"
# A request path as the venue documents it: no query string, no `..`, nothing percent-encoded.
API_PATH = r"^/[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*$"
FieldPath = Annotated[str, StringConstraints(pattern=FIELD_PATH, max_length=120)]
Token = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9_:.-]+$", max_length=60)]


def _json_scalar(value: object) -> object:
    # The venue file's loader keeps every scalar a string; a probe compares with JSON values.
    if isinstance(value, str):
        if value in ("true", "false"):
            return value == "true"
        if re.fullmatch(r"-?[0-9]+", value):
            return int(value)
    return value


ProbeCapability = Literal["withdraw", "transfer", "trade", "read"]


class Signal(Strict):
    """One field of the probe's response and the value that means the key has a capability."""

    capability: ProbeCapability | Annotated[list[ProbeCapability], Field(min_length=1)]
    """What the value shows the key can do: `withdraw`, `transfer` (out of the account), `trade`
    or `read`; a list where one value shows several."""
    field: FieldPath
    """Where the value is in the response, e.g. `enableWithdrawals`, `data.0.perm` or
    `[0=withdraw].2` (the row whose first item is `withdraw`, then its third item)."""
    equals: Annotated[bool | int | str, BeforeValidator(_json_scalar)] | None = None
    """The key has the capability when the value is exactly this: `true` and `false` are JSON's
    booleans, a whole number is a JSON number, anything else a string."""
    contains: Annotated[int | Token, BeforeValidator(_json_scalar)] | None = None
    """The key has the capability when the value is a list holding this item, or a string whose
    comma- or space-separated items include it. A number matches it written as a number or as text."""

    @property
    def capabilities(self) -> frozenset[str]:
        return frozenset(self.capability if isinstance(self.capability, list) else [self.capability])


class Gap(Strict):
    capability: ProbeCapability
    """A capability the venue's response does not report."""
    text: Text
    """Why, and what the reader checks by hand instead."""


class KnownValues(Strict):
    """Every item a list (or comma- or space-separated string) in the response may hold, as the
    venue documents them: an item outside the list makes the app answer `unknown`, so a permission
    the venue adds later, or spells another way, is never taken as harmless."""

    field: FieldPath
    """Where the list is in the response."""
    values: list[Annotated[int | Token, BeforeValidator(_json_scalar)]] = Field(min_length=1)
    """The items the venue documents for it; a number matches it written as a number or as text."""


class Probe(Strict):
    """The read-only request that reports what a key may do, for the app to refuse a key that can
    move funds. It never names a request that could move funds: the validator refuses one."""

    method: Literal["GET", "POST"]
    """The request's HTTP method, as the venue documents it (some venues read with POST)."""
    path: Annotated[str, StringConstraints(pattern=API_PATH, max_length=120)]
    """The request's path, as the venue documents it, e.g. `/sapi/v1/account/apiRestrictions`."""
    ccxt: Annotated[str, StringConstraints(pattern=r"^[a-z][A-Za-z0-9]+$", max_length=80)] | None = None
    """CCXT's implicit-API method for the request, e.g. `sapiGetAccountApiRestrictions`."""
    needs: Label
    """The permission the request itself needs, e.g. `Enable Reading`, which every key has."""
    signals: list[Signal] = Field(min_length=1)
    """The response's fields that show what the key may do."""
    gaps: list[Gap] = []
    """What the response does not report, so the app answers `unknown` for it."""
    known: list[KnownValues] = []
    """Lists in the response whose every item the venue documents; anything else is `unknown`."""
    sources: SourceRefs

    @property
    def reported(self) -> frozenset[str]:
        return frozenset().union(*(s.capabilities for s in self.signals))


class NoProbe(Strict):
    """No request tells what a key may do: the app cannot check, and the guide says so."""

    none: Text
    """Why there is no probe, e.g. that the venue's API has no request reporting a key's permissions."""
    fallback: Text | None = None
    """What the app or the reader can do instead; never a request that could move funds."""
    sources: SourceRefs


def _keys(value: object) -> object:
    return value if isinstance(value, dict) else type(value).model_fields


class Faq(Strict):
    q: Label
    """The question."""
    a: Text
    """The answer in Markdown."""
    sources: SourceRefs


class Venue(Strict):
    """One venue and product: everything its guide page says."""

    name: Label
    """The guide's title, e.g. `Kraken Spot`."""
    venue: Label
    """The venue's name alone, e.g. `Kraken`."""
    slug: Slug
    """The page's address: `exchanges/<slug>/`. Once published, never change it; add the old one
    to `former_slugs` if you must."""
    product: Product
    """The product this key is for; `all` where one key serves every product of the venue."""
    ccxt: list[CcxtId] = []
    """CCXT exchange ids for this venue and product, as the pinned CCXT knows them; `/go/<id>/` leads
    here. At least one, unless the venue is retired and CCXT dropped its ids (`legacy_ccxt`)."""
    access: Access = Access.api_key
    """`api-key` (the default): a key the venue issues, its permissions ticked on a form.
    `agent-wallet`: an on-chain venue whose own wallet approves an agent (API) wallet; the guide
    then says what the agent cannot do, and `never_share` names the main wallet's secrets."""
    legacy_ccxt: list[CcxtId] = []
    """Ids CCXT has retired that once led here; their `/go/` links keep working and the help index
    marks them as legacy."""
    former_slugs: list[Slug] = []
    """Slugs this guide had before; their addresses redirect here."""
    aliases: list[Label] = []
    """Other names readers and apps use for the venue, e.g. a former brand."""
    retired: Retired | None = None
    """Set when the venue closes or ends the product: the page then shows only the notice, with
    every published anchor kept, and the index marks it."""
    summary: Text
    """One or two sentences that open the guide."""
    verified: date
    """The date the whole guide was last checked against the live venue (YYYY-MM-DD)."""
    facts: Facts
    """Quick facts a reader weighs before choosing the venue; the comparisons read them."""
    related: list[Related] = []
    """Guides for the venue's other products."""
    prerequisites: list[Prerequisite] = Field(min_length=1)
    """What a reader needs before starting: verification level, 2FA, ..."""
    location: Location
    """Where on the venue keys are made."""
    steps: list[Step] = Field(min_length=2)
    """The creation steps in order."""
    permissions: list[Permission] = Field(min_length=1)
    """Every permission on the venue's form, fund-moving ones included and forbidden."""
    settings: list[KeySetting] = []
    """Optional key settings (WebSocket, expiry, nonce window, ...)."""
    ip_whitelist: IpWhitelist
    """How the venue restricts a key to IP addresses; the page adds the platform's addresses."""
    credentials: list[Credential] = Field(min_length=2)
    """Each value the venue shows when the key is made, by its CCXT name."""
    never_share: list[Secret] = []
    """What the reader holds that the platform must never receive. An agent-wallet venue names the
    main wallet's private key and its recovery phrase here; every page then says never to give them."""
    rules: list[Rule] = []
    """Rules that expire, disable or limit a key."""
    warnings: list[Note] = []
    """Boxes the page shows: `danger` ones at the top, the others under Stay safe."""
    tips: list[Tip] = []
    """Security tips."""
    pitfalls: list[Tip] = []
    """Common mistakes."""
    troubleshooting: list[Trouble] = Field(min_length=1)
    """The venue's error messages for key problems, each with its cause and fix."""
    faq: list[Faq] = []
    """Questions readers ask, with their answers."""
    probe: Annotated[
        Annotated[Probe, Tag("probe[request]")] | Annotated[NoProbe, Tag("probe[none]")],
        Discriminator(
            lambda v: "probe[none]" if isinstance(v, dict | NoProbe) and "none" in _keys(v) else "probe[request]"
        ),
    ]
    """The read-only request that shows whether a key can move funds, or `none:` with the reason."""
    sources: list[Source] = Field(min_length=1)
    """Every page this file's facts come from."""

    @property
    def all_ccxt(self) -> list[str]:
        """Every CCXT id that leads to this guide, current ones first."""
        return [*self.ccxt, *self.legacy_ccxt]

    @property
    def agent_wallet(self) -> bool:
        return self.access == Access.agent_wallet

    @property
    def passphrase(self) -> bool:
        """Whether the key has a third value (a passphrase, CCXT's `password`)."""
        return any(c.ccxt == CcxtField.password for c in self.credentials)


def _ip_address(value: str) -> str:
    try:
        ipaddress.ip_network(value, strict=False)
    except ValueError:
        raise ValueError(f"{value!r} is not an IPv4 or IPv6 address or block") from None
    return value


class Whitelist(Strict):
    cloud: list[Annotated[str, AfterValidator(_ip_address)]] = Field(min_length=1)
    """The addresses users of the hosted platform whitelist."""
    self_hosted: Text
    """What users who run the platform on their own server whitelist instead."""


class Supports(Strict):
    """What the platform's client can do; a guide that needs more is refused, so its steps can give
    one definite answer instead of "if the platform supports it"."""

    key_types: list[KeyType] = Field(min_length=1)
    """The kinds of key the platform signs with; every guide's first key type must be one of them."""


class PlatformCheck(Strict):
    """A failure that is not the venue's: how the key was pasted or shared. Every guide shows it."""

    id: Annotated[str, StringConstraints(pattern=r"^check-[a-z0-9]+(-[a-z0-9]+)*$", max_length=60)]
    """Its anchor on every guide, `check-...`. Once published, never change it."""
    title: Label
    """What went wrong, as the reader would put it."""
    text: Text
    """How to tell, and the fix."""
    only: CcxtField | None = None
    """Show it only on guides whose key has this value, e.g. `password` for a passphrase."""


class Platform(Strict):
    """The platform's own settings: `extra.platform` in mkdocs.yml."""

    name: Label
    """The platform's name, as every page says it."""
    whitelist: Whitelist
    keys_path: list[Label] = Field(min_length=1)
    """Where in the app keys are pasted, as menu labels."""
    test_keys: Text
    """What the app's key test does, and what a pass means."""
    test_limits: Text
    """What a pass does not prove, said in every guide's final check."""
    probe_test: Text | None = None
    """What the key test does with a venue's probe (the request that reports a key's permissions),
    said in every guide's final check with what the probe can and cannot see on that venue."""
    fields: dict[CcxtField, Label]
    """The app's label for each credential, by CCXT name."""
    stale_after_days: int = Field(default=180, ge=1)
    """A guide verified longer ago than this is reported as stale."""
    supports: Supports
    """What the platform's client supports, e.g. `key_types: [hmac, ecdsa]`."""
    checks: list[PlatformCheck] = []
    """Failures on the platform's side, shown at the top of every guide's Troubleshooting."""
    redirects: Literal["pages", "host"] = "pages"
    """How the /go/ links and former addresses redirect. `pages`: a small refresh page at each
    address, which any static host serves. `host`: no page at all, for a host that answers them with
    real 301s from the `_redirects` file or the nginx map the build writes beside the site."""
