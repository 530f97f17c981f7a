"""Snapshots of the dbt project in the bench folder, so the benchmark measures one fixed
state of the models while the working tree moves on, and can add or drop segments."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import yaml

from bench.config import PROJECT_DIR
from bench.variants import write_variants

COPIED = ["models", "macros", "seeds", "tests/dbt", "dbt_project.yml", "profiles.yml"]
WORKED_EXAMPLE = "paid_enterprise_prospects"  # the README's example, not a reference segment
DEFINITIONS = Path("models/segments/definitions")


def project_segments() -> list[str]:
    config = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    return list(config["vars"]["segments"])


def reference_segments() -> list[str]:
    return [name for name in project_segments() if name != WORKED_EXAMPLE]


def snapshot(target: Path) -> Path:
    """A copy of the project's dbt files at `target` (replaced if present)."""
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    for relative in COPIED:
        source = PROJECT_DIR / relative
        destination = target / relative
        destination.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, destination)
        elif source.exists():
            shutil.copy2(source, destination)
    return target


def _filter_yaml(path: Path, key: str, drop: str) -> None:
    content: dict[str, Any] = yaml.safe_load(path.read_text())
    content[key] = [
        item for item in content.get(key, []) if drop not in (item.get("name"), item.get("model"))
    ]
    path.write_text(yaml.safe_dump(content, sort_keys=False))


def reference_only(target: Path) -> list[str]:
    """A snapshot with exactly the 15 reference segments; returns their names."""
    snapshot(target)
    definitions = target / DEFINITIONS
    (definitions / f"{WORKED_EXAMPLE}.sql").unlink()
    _filter_yaml(definitions / "_definitions__models.yml", "models", WORKED_EXAMPLE)
    _filter_yaml(definitions / "_definitions__unit_tests.yml", "unit_tests", WORKED_EXAMPLE)
    return reference_segments()


def with_variants(target: Path, variants: int) -> list[str]:
    """The reference-only snapshot plus `variants` generated segments; returns all names."""
    reference = reference_only(target)
    return reference + write_variants(target / DEFINITIONS, reference, variants)
