"""Segment definitions: invalid ones fail at compile time, naming the segment and the problem;
a rule reads contact_features only when it needs to."""

from __future__ import annotations

import json
import shutil
from datetime import date
from pathlib import Path

import pytest

from audience_warehouse import demo_data
from audience_warehouse.dbt_runner import DbtError, run_dbt
from audience_warehouse.settings import PROJECT_DIR, Settings

PROJECT_FILES = ["dbt_project.yml", "profiles.yml", "models", "macros", "tests/dbt"]
SEGMENT = "pricing_page_high_intent"
NO_UNIT_TESTS = ["--exclude-resource-type", "unit_test"]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Raw data and a warehouse built on it, so rules are checked against real columns."""
    root = tmp_path_factory.mktemp("definitions")
    raw, warehouse = root / "raw", root / "warehouse.duckdb"
    demo_data.generate(raw, contacts=100, events=5_000, seed=3, end=date(2026, 11, 20), days=30)
    settings = Settings(project_dir=PROJECT_DIR, raw_data_path=raw, warehouse_path=warehouse)
    run_dbt(["run"], settings, target_path=root / "target", capture=True)
    return raw, warehouse


def project_copy(tmp_path: Path) -> Path:
    project = tmp_path / "project"
    for name in PROJECT_FILES:
        source = PROJECT_DIR / name
        if source.is_dir():
            shutil.copytree(source, project / name)
        else:
            (project / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy(source, project / name)
    return project


def write_segment(project: Path, name: str, definition: str) -> None:
    body = (
        f"{{% set definition %}}\n{definition}\n{{% endset %}}\n\n"
        "{{ segment(fromyaml(definition)) }}\n"
    )
    (project / "models/segments/definitions" / f"{name}.sql").write_text(body)


def compile_error(project: Path, built: tuple[Path, Path], select: str) -> str:
    raw, warehouse = built
    scratch = project / "warehouse.duckdb"
    shutil.copy(warehouse, scratch)
    settings = Settings(project_dir=project, raw_data_path=raw, warehouse_path=scratch)
    with pytest.raises(DbtError) as failure:
        run_dbt(["compile", "--select", select], settings, capture=True)
    return str(failure.value)


BROKEN = {
    "unknown feature": (
        "rule:\n  feature: pricing_views_7d\n  gte: 3",
        "Segment 'pricing_page_high_intent' at feature: unknown feature 'pricing_views_7d'",
    ),
    "misspelled comparison": (
        "rule:\n  feature: pricing_page_views_7d\n  gte3: 3",
        "Segment 'pricing_page_high_intent' at feature: unknown key 'gte3'",
    ),
    "feature without comparison": (
        "rule:\n  feature: pricing_page_views_7d",
        "feature pricing_page_views_7d needs a comparison",
    ),
    "two kinds in one node": (
        "rule:\n  all:\n    - feature: orders_7d\n      gte: 1\n      in_segment: inactive_90d",
        "Segment 'pricing_page_high_intent' at all[0]: a rule node needs exactly one of",
    ),
    "fewer than with events": (
        "rule:\n  events:\n    event: order_completed\n    lt: 2",
        'for "fewer than N" write not:',
    ),
    "unknown segment": (
        "rule:\n  in_segment: big_spenders",
        "unknown segment 'big_spenders'",
    ),
    "unknown event property": (
        "rule:\n  events:\n    event: page_viewed\n    where:\n      pth: /pricing",
        "unknown event property 'pth'",
    ),
    "bad window": (
        "rule:\n  events:\n    event: page_viewed\n    within_days: -7",
        "within_days must be a positive number, got -7",
    ),
    "empty any": ("rule:\n  any: []", "any needs a non-empty list of rules"),
    "no rule": ("activation:\n  destinations: [hubspot]", "the definition has no rule:"),
    "unknown top-level key": (
        "rule:\n  inactive: {days: 30}\nowner: me",
        "unknown key 'owner'; allowed: rule, activation, health",
    ),
}


@pytest.mark.parametrize("case", BROKEN)
def test_invalid_definition_is_a_compile_error(case: str, built, tmp_path: Path) -> None:
    definition, expected = BROKEN[case]
    project = project_copy(tmp_path)
    write_segment(project, SEGMENT, definition)
    assert expected in compile_error(project, built, SEGMENT)


def test_unregistered_segment_model_is_a_compile_error(built, tmp_path: Path) -> None:
    project = project_copy(tmp_path)
    write_segment(project, "big_spenders", "rule:\n  feature: revenue_90d\n  gte: 1000")
    message = compile_error(project, built, "int_segment_members_unioned")
    assert "Segment model 'big_spenders'" in message
    assert "is not in var('segments')" in message


def test_segment_listing_a_contact_twice_fails_the_memberships_key_test(
    built, tmp_path: Path
) -> None:
    """Segment models have no key test of their own: segment_memberships, which holds
    their members row for row, carries it. A SQL segment that returns a contact twice
    must fail the build there."""
    project = project_copy(tmp_path)
    (project / "models/segments/definitions" / f"{SEGMENT}.sql").write_text(
        "{{ config(meta={'segment': {'kind': 'sql'}}) }}\n"
        "with one_contact as (select contact_id from {{ ref('contact_features') }} limit 1)\n"
        "select contact_id, 'first' as reason from one_contact\n"
        "union all\n"
        "select contact_id, 'second' as reason from one_contact\n"
    )
    raw, warehouse = built
    scratch = project / "warehouse.duckdb"
    shutil.copy(warehouse, scratch)
    settings = Settings(project_dir=project, raw_data_path=raw, warehouse_path=scratch)
    selection = [SEGMENT, "int_segment_members_unioned", "segment_membership_history"]
    # the replaced model's unit tests describe the rule it replaces
    with pytest.raises(DbtError) as failure:
        run_dbt(
            ["build", "--select", *selection, "segment_memberships", *NO_UNIT_TESTS],
            settings,
            capture=True,
        )
    assert "unique_combination_of_columns_segment_memberships_segment_name__contact_id" in str(
        failure.value
    )


def parents(project: Path, built: tuple[Path, Path], target: Path, segment: str) -> list[str]:
    """The models `segment` depends on, from the manifest `dbt parse` writes."""
    raw, warehouse = built
    settings = Settings(project_dir=project, raw_data_path=raw, warehouse_path=warehouse)
    run_dbt(["parse"], settings, target_path=target, capture=True)
    manifest = json.loads((target / "manifest.json").read_text())
    return manifest["nodes"][f"model.audience_warehouse.{segment}"]["depends_on"]["nodes"]


CONTACT_FEATURES = "model.audience_warehouse.contact_features"
EVENTS = "{events: {event: order_completed, within_days: 30}}"
# rule -> whether the segment must read contact_features: only a rule that can match
# nothing but the contacts its event or segment conditions name does without it
RULES = {
    "events": (EVENTS, False),
    "all with one event condition": (f"all: [{EVENTS[1:-1]}, not: {EVENTS}]", False),
    "not alone": (f"not: {EVENTS}", True),
    "any with a not": (f"any: [{EVENTS[1:-1]}, not: {EVENTS}]", True),
    "all with a feature": (f"all: [{EVENTS[1:-1]}, {{feature: orders_lifetime, gte: 1}}]", True),
    "inactive": ("inactive: {days: 30}", True),
}


@pytest.mark.parametrize("case", RULES)
def test_rules_read_contact_features_only_when_they_need_it(
    case: str, built, tmp_path: Path
) -> None:
    """A rule that can only match contacts its event or segment conditions name takes its
    candidates from them: it neither reads nor waits for contact_features. Any other rule
    needs every contact (a `not`, an `any` with such a branch) or their features."""
    rule, reads_contact_features = RULES[case]
    project = project_copy(tmp_path)
    write_segment(project, SEGMENT, f"rule:\n  {rule}")
    found = parents(project, built, tmp_path / "target", SEGMENT)
    assert (CONTACT_FEATURES in found) is reads_contact_features
