"""Turning checked venue data into Markdown pages through the Jinja templates in `templates/`."""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from jinja2 import BytecodeCache, Environment, FileSystemLoader, StrictUndefined, Template
from jinja2.bccache import Bucket

from .model import SECTIONS, Note, Permission, Platform, Probe, Step, Trouble, Venue
from .validate import LoadedVenue, source_refs, trouble_id

# Sections a guide shows only when its file has something to put in them.
_OPTIONAL = {
    "related": "related",
    "settings": "settings",
    "key-rules": "rules",
    "pitfalls": "pitfalls",
    "faq": "faq",
}

# The venue-file fields whose facts each section shows.
_SECTION_FIELDS = {
    "quick-facts": ("facts",),
    "related": ("related",),
    "prerequisites": ("prerequisites",),
    "where": ("location",),
    "steps": ("steps",),
    "permissions": ("permissions",),
    "settings": ("settings",),
    "ip-whitelist": ("ip_whitelist",),
    "credentials": ("credentials",),
    "done": ("probe",),
    "key-rules": ("rules",),
    "security": ("warnings", "tips"),
    "pitfalls": ("pitfalls",),
    "troubleshooting": ("troubleshooting",),
    "faq": ("faq",),
}


_MD_ESCAPES = str.maketrans({c: "\\" + c for c in "\\`*_[]{}<>|#"})
_CODE_SPAN = re.compile(r"(`+)(.+?)\1", re.DOTALL)


@dataclass(frozen=True)
class PlannedStep:
    """A step as the page shows it, with the page parts (where, permissions, settings, ip-whitelist,
    credentials) the reader uses in it."""

    step: Step
    parts: tuple[str, ...]
    notes: tuple[Note, ...]
    """The warnings said in this step: those `at` its kind, in the first step of that kind."""


def plan_steps(venue: Venue) -> tuple[PlannedStep, ...]:
    """Put each part of the page in the step that uses it: the key settings go in the `settings`
    step, or the `ip-whitelist` step if there is none; the addresses in the `ip-whitelist` step, or
    the `settings` step if there is none, or for a venue that has no IP whitelist, the note saying
    so in the `credentials` step. The validator makes sure one of the three exists."""
    kinds = {s.kind for s in venue.steps}
    planned = []
    seen: set[str] = set()
    for step in venue.steps:
        first = step.kind not in seen and step.kind != "action"
        seen.add(step.kind)
        notes = tuple(n for n in venue.warnings if first and n.at == step.kind)
        parts: list[str] = []
        if step.kind in ("where", "permissions", "credentials"):
            parts.append(step.kind)
        if venue.settings and (step.kind == "settings" or (step.kind == "ip-whitelist" and "settings" not in kinds)):
            parts.append("settings")
        if step.kind == "ip-whitelist" or (step.kind == "settings" and "ip-whitelist" not in kinds):
            parts.append("ip-whitelist")
        if step.kind == "credentials" and not kinds & {"settings", "ip-whitelist"}:
            # A venue with no IP whitelist says so where the reader pastes the key.
            parts.insert(0, "ip-whitelist")
        planned.append(PlannedStep(step, tuple(parts), notes))
    return tuple(planned)


# What a probe's answer can show, in the order and the words a guide says them.
_PROBE_WORDS = (("withdraw", "withdraw"), ("transfer", "transfer funds out"), ("trade", "trade"))

_NUMERIC = re.compile(r"-?\d+")


def trouble_title(entry: Trouble) -> tuple[str, ...]:
    """The errors an entry's heading shows: a bare number comes with the first message that
    names it in words, so a contents list reads `50113 Invalid signature.`, not `50113`."""
    first = entry.errors[0]
    if _NUMERIC.fullmatch(first):
        words = next((e for e in entry.errors[1:] if not _NUMERIC.fullmatch(e)), None)
        if words:
            return (first, words)
    return (first,)


@dataclass(frozen=True)
class Guide:
    """A venue as the templates see it: the data and what is derived from it."""

    venue: Venue
    source_file: str
    sections: tuple[tuple[str, str], ...]
    trouble_ids: tuple[str, ...]
    forbidden: tuple[Permission, ...]
    citations: dict[str, int]
    steps: tuple[PlannedStep, ...]
    digest: str = ""
    """The hash of the venue file's bytes (LoadedVenue.digest)."""

    def notes_at(self, place: str) -> list[Note]:
        """The venue's warnings the page says at one place: `never`, a step kind or `security`."""
        return [n for n in self.venue.warnings if n.at == place]

    @property
    def permission_groups(self) -> list[tuple[str | None, list[Permission]]]:
        """The checklist's rows grouped as the venue's form groups them, in the file's order."""
        groups: dict[str | None, list[Permission]] = {}
        for p in self.venue.permissions:
            groups.setdefault(p.group, []).append(p)
        return list(groups.items())

    @property
    def probe_shows(self) -> list[str]:
        """What the probe's answer shows, in the page's words: `withdraw`, `transfer funds out`, `trade`."""
        probe = self.venue.probe
        if not isinstance(probe, Probe):
            return []
        return [words for cap, words in _PROBE_WORDS if cap in probe.reported]

    @property
    def review(self) -> list[tuple[str, str, list[int], date, bool]]:
        """The review trail: for each section shown, the sources its facts cite (by number), the
        oldest date one of them was checked, and whether one of them is the venue's own page."""
        data = self.venue.model_dump()
        by_id = {s.id: s for s in self.venue.sources}
        trail = []
        for sid, title in self.sections:
            refs: set[str] = set()
            for field in _SECTION_FIELDS.get(sid, ()):
                refs |= {ref for _, ref in source_refs(data[field])}
            if refs:
                numbers = sorted(self.citations[r] for r in refs)
                oldest = min(by_id[r].checked for r in refs)
                trail.append((sid, title, numbers, oldest, any(by_id[r].publisher == "venue" for r in refs)))
        return trail

    @property
    def src_uri(self) -> str:
        """The generated page's path in the docs, as MkDocs and mkdocs-redirects name it."""
        return f"exchanges/{self.venue.slug}.md"

    @property
    def url(self) -> str:
        return f"exchanges/{self.venue.slug}/"

    def cite(self, ids: list[str]) -> str:
        """Numbered links to the sources a fact cites, each titled with the source's page title."""
        sources = self.venue.sources
        links = []
        for ident in ids:
            number = self.citations[ident]
            title = escape_label(sources[number - 1].title).replace('"', "'")
            links.append(f'[{number}](#source-{ident}){{ .cite title="Source: {title}" data-search-exclude }}')
        return "".join(links)


def make_guide(loaded: LoadedVenue) -> Guide:
    venue = loaded.venue
    sections = tuple((sid, title) for sid, title in SECTIONS if sid not in _OPTIONAL or getattr(venue, _OPTIONAL[sid]))
    return Guide(
        venue=venue,
        source_file=loaded.name,
        sections=sections,
        trouble_ids=tuple(trouble_id(t.id, t.errors[0]) for t in venue.troubleshooting),
        forbidden=tuple(p for p in venue.permissions if p.moves_funds),
        citations={s.id: i for i, s in enumerate(venue.sources, start=1)},
        steps=plan_steps(venue),
        digest=loaded.digest,
    )


class CompiledTemplates(BytecodeCache):
    """Compiled templates kept in memory, for a preview that rebuilds on every save. Jinja files each
    under the template's name and checks the source's checksum when it loads one, so an edited
    template is compiled afresh, never served stale."""

    def __init__(self) -> None:
        self.compiled: dict[str, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.compiled.get(bucket.key)) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.compiled[bucket.key] = bucket.bytecode_to_string()


COMPILED = CompiledTemplates()


def make_environment(templates: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(templates),
        bytecode_cache=COMPILED,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(label=escape_label, text=escape_text, cell=table_cell, code=code_span)
    env.filters.update(day=day, requirement=requirement, key_types=key_types)
    env.globals["trouble_title"] = trouble_title
    env.filters["either"] = either
    env.tests["ipv6"] = lambda address: ipaddress.ip_network(address, strict=False).version == 6
    return env


@dataclass
class Renderer:
    """The compiled templates of one build: each is parsed once and rendered for every venue."""

    env: Environment
    platform: Platform

    @classmethod
    def for_templates(cls, templates: Path, platform: Platform) -> Renderer:
        return cls(make_environment(templates), platform)

    def template(self, name: str) -> Template:
        return self.env.get_template(name)

    def render(self, name: str, **context: object) -> str:
        return self.template(name).render(platform=self.platform, **context)


_REQUIREMENT = {
    "required": "Required",
    "recommended": "Recommended",
    "optional": "Optional",
    "unavailable": "Not offered",
}
_KEY_TYPES = {"hmac": "HMAC", "ed25519": "Ed25519", "rsa": "RSA", "ecdsa": "ECDSA"}


# A date as the pages show it: 21 Nov 2026.
def day(value: date) -> str:
    return f"{value.day} {value:%b %Y}"


def requirement(value: str) -> str:
    return _REQUIREMENT[str(value)]


def key_types(values: list[str]) -> str:
    return ", ".join(_KEY_TYPES[str(v)] for v in values)


# Labels run into a sentence: A, B or C. When one label holds a comma, all are quoted, so the list
# still reads as a list: "Open, cancel and view bank withdrawals" is one label, not three.
def either(labels: list[str], word: str = "or") -> str:
    items = [f"“{x}”" for x in labels] if any("," in x for x in labels) else list(labels)
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"


# Exact labels from the venue are shown as written: Markdown characters in them are escaped.
def escape_label(value: object) -> str:
    return str(value).translate(_MD_ESCAPES)


# Markdown text from YAML: braces are escaped outside code spans so nothing reads them as attributes.
def escape_text(value: object) -> str:
    text = str(value)
    out, last = [], 0
    for match in _CODE_SPAN.finditer(text):
        out.append(_escape_braces(text[last : match.start()]))
        out.append(match.group(0))
        last = match.end()
    out.append(_escape_braces(text[last:]))
    return "".join(out)


def _escape_braces(text: str) -> str:
    return text.replace("{", "\\{").replace("}", "\\}")


# Text inside a Markdown table cell: one line, pipes escaped.
def table_cell(value: object) -> str:
    return " ".join(str(value).split()).replace("|", "\\|")


# A literal value as inline code, with enough backticks to hold any backticks inside it.
def code_span(value: object) -> str:
    text = str(value)
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"
