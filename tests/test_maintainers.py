"""The maintainer's path from the contributing page: scaffold, fill in, validate, build; schema; freshness."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import date

import jsonschema
import pytest
import yaml

from conftest import BUILD_ENV, ROOT, Project
from venuekit.cli import venue_schema
from venuekit.model import Venue


def venuekit(project: Project, *args: str) -> subprocess.CompletedProcess[str]:
    """A maintainer command, as `./dev` runs it, inside the copy of the project."""
    env = dict(BUILD_ENV, PYTHONPATH=str(project.root / "hooks"))
    command = [sys.executable, "-m", "venuekit", *args]
    return subprocess.run(command, cwd=project.root, env=env, capture_output=True, text=True, timeout=300)


def fill(scaffolded: object, example: object) -> object:
    """The scaffold's structure with the example's values: what a maintainer does by hand."""
    if isinstance(scaffolded, dict) and isinstance(example, dict):
        return {key: fill(value, example.get(key)) for key, value in scaffolded.items() if key in example}
    return example


def test_new_venue_writes_every_field_with_a_comment(project: Project) -> None:
    result = venuekit(project, "new-venue", "okx", "--product", "spot", "--name", "OKX")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wrote exchanges/okx-spot.yml: fill it in, then run ./dev validate"
    text = (project.root / "exchanges" / "okx-spot.yml").read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/venue.schema.json\n")
    lines = text.splitlines()
    for field in Venue.model_fields:
        at = next((i for i, line in enumerate(lines) if line.startswith(f"{field}:")), None)
        assert at is not None, f"the scaffold lacks {field}"
        assert lines[at - 1].startswith("# "), f"{field} has no comment above it"
    assert "name: OKX Spot" in lines and "slug: okx-spot" in lines and "ccxt: [okx]" in lines
    assert f"verified: {date.today().isoformat()}" in lines


def test_new_venue_refuses_to_overwrite(project: Project) -> None:
    before = project.venue("kraken-spot").read_text(encoding="utf-8")
    result = venuekit(project, "new-venue", "kraken", "--product", "spot")
    assert result.returncode == 1
    assert result.stderr.strip() == "exchanges/kraken-spot.yml already exists; edit it, or pick another id"
    assert project.venue("kraken-spot").read_text(encoding="utf-8") == before


def test_unfilled_scaffold_lists_every_empty_field_by_line(project: Project) -> None:
    venuekit(project, "new-venue", "okx", "--product", "spot")
    result = venuekit(project, "validate")
    assert result.returncode == 1
    lines = (project.root / "exchanges" / "okx-spot.yml").read_text(encoding="utf-8").splitlines()
    summary_line = lines.index("summary:") + 1
    expected = f"  exchanges/okx-spot.yml:{summary_line}: summary: is empty: fill it in (One or two sentences"
    assert expected in result.stderr


def test_scaffold_filled_in_builds_a_guide(project: Project) -> None:
    # A real CCXT exchange that has no guide yet (Bitstamp, then Bitvavo, were the example until they got one).
    claimed = {i for f in (project.root / "exchanges").glob("*.yml") for i in yaml.safe_load(f.read_text())["ccxt"]}
    assert "cryptocom" not in claimed, "cryptocom has a guide now: pick another CCXT id without one"
    venuekit(project, "new-venue", "cryptocom", "--product", "spot", "--name", "Crypto.com")
    path = project.root / "exchanges" / "cryptocom-spot.yml"
    example = yaml.safe_load(project.venue("kraken-spot").read_text(encoding="utf-8"))
    example.update(
        name="Crypto.com Spot", venue="Crypto.com", slug="cryptocom-spot", ccxt=["cryptocom"], related=[], aliases=[]
    )
    filled = fill(yaml.safe_load(path.read_text(encoding="utf-8")), example)
    # Kraken's probe is a Kraken request, which CCXT's cryptocom client does not have.
    filled["probe"] = {"none": "No request reports what a key may do.", "sources": [example["sources"][0]["id"]]}
    path.write_text(yaml.safe_dump(filled), encoding="utf-8")
    checked = venuekit(project, "validate")
    assert checked.returncode == 0, checked.stderr
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert "Crypto.com Spot: a trading key that cannot withdraw" in project.page("exchanges/cryptocom-spot")


def test_validate_reports_every_problem_in_every_file_at_once(project: Project) -> None:
    project.edit("exchanges/kraken-spot.yml", "account_2fa: required", "account_2fa: mandatory")
    project.edit("exchanges/kraken-futures.yml", "    state: forbidden", "    state: required")
    (project.root / "exchanges" / "broken.yml").write_text("name: [\n", encoding="utf-8")
    result = venuekit(project, "validate")
    futures = project.venue("kraken-futures").read_text(encoding="utf-8").splitlines()
    state_line = futures.index("    state: required", futures.index("  - label: Withdrawal API")) + 1
    spot = project.venue("kraken-spot").read_text(encoding="utf-8").splitlines()
    twofa_line = spot.index("  account_2fa: mandatory") + 1
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "3 problems in the venue files:",
        "  exchanges/broken.yml:2: YAML syntax error: did not find expected node content",
        f"  exchanges/kraken-futures.yml:{state_line}: permissions[1].state: 'Withdrawal API' can move funds out"
        " (withdraw) and must be `forbidden`, not `required`",
        f"  exchanges/kraken-spot.yml:{twofa_line}: facts.account_2fa: input should be 'required', 'recommended',"
        " 'optional' or 'unavailable' (got 'mandatory')",
    ]


def test_validate_passes_the_real_venue_files() -> None:
    result = venuekit(Project(ROOT), "validate")
    assert result.returncode == 0, result.stderr
    assert re.fullmatch(r"\d+ venue files OK \(\d+ ms\)\n", result.stdout)


def test_committed_schema_matches_the_model() -> None:
    committed = json.loads((ROOT / "schema" / "venue.schema.json").read_text(encoding="utf-8"))
    assert committed == venue_schema(), "schema/venue.schema.json is out of date: run ./dev schema and commit it"


@pytest.mark.parametrize("path", sorted((ROOT / "exchanges").glob("*.yml")), ids=lambda p: p.name)
def test_venue_file_points_editors_at_the_schema_and_follows_it(path) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/venue.schema.json\n")
    schema = json.loads((ROOT / "schema" / "venue.schema.json").read_text(encoding="utf-8"))
    # YAML reads dates as dates; an editor's language server sees the same text as strings.
    data = json.loads(json.dumps(yaml.safe_load(text), default=str))
    jsonschema.validate(data, schema, format_checker=jsonschema.FormatChecker())


def test_a_stale_guide_warns_but_never_blocks_the_build(project: Project) -> None:
    project.edit("exchanges/kraken-spot.yml", "verified: 2026-12-03", "verified: 2020-01-01")
    age = (date.today() - date(2020, 1, 1)).days
    result = project.build()
    assert result.returncode == 0, result.stderr
    assert (
        f"WARNING -  exchanges/kraken-spot.yml was last verified {age} days ago (limit 180): "
        "check it against the venue and update `verified`" in result.stderr
    )
    assert "older than 180 days: menus may have changed" in project.page("exchanges/kraken-spot")


def test_stale_report_lists_old_guides_with_a_configurable_age(project: Project) -> None:
    verified = re.search(r"^verified: .*$", project.venue("kraken-futures").read_text(encoding="utf-8"), re.M)[0]
    project.edit("exchanges/kraken-futures.yml", verified, "verified: 2026-01-01")
    age = (date.today() - date(2026, 1, 1)).days
    report = venuekit(project, "stale", "--days", str(age - 1))
    count = len(list((project.root / "exchanges").glob("*.yml")))
    assert report.returncode == 0
    assert report.stdout.splitlines()[:3] == [
        f"1 of {count} guides were last verified more than {age - 1} days ago:",
        f"  exchanges/kraken-futures.yml: verified 2026-01-01, {age} days ago",
        "",
    ]
    fresh = venuekit(project, "stale", "--days", str(age + 1000))
    assert fresh.stdout.splitlines()[0] == f"All {count} guides were verified within {age + 1000} days."


def test_stale_report_lists_labels_that_rest_only_on_third_parties(project: Project) -> None:
    text = project.venue("kraken-spot").read_text(encoding="utf-8")
    withdraw = text.index("  - label: Withdraw\n")
    cited = text.index("    sources: [", withdraw)
    end = text.index("\n", cited)
    project.venue("kraken-spot").write_text(
        text[:cited] + "    sources: [haas-kraken-spot]" + text[end:], encoding="utf-8"
    )
    report = venuekit(project, "stale").stdout
    assert "  exchanges/kraken-spot.yml: permissions[2] 'Withdraw' cites only haas-kraken-spot" in report
    # Labels that also cite one of Kraken's own pages are not listed.
    assert "kraken-spot.yml: permissions[0]" not in report
    assert "kraken-spot.yml: location.path" not in report


def test_contributing_page_and_readme_show_the_commands() -> None:
    page = (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for command in ("./dev new-venue", "./dev serve", "./dev validate", "./dev links --update", "./dev stale"):
        assert command in page, f"contributing page lacks {command}"
        assert command in readme, f"README lacks {command}"
