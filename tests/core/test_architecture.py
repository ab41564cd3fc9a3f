"""The shape of the code (docs/architecture.md): modules that plug in, small modules, every
daily service a registered step. The layers themselves are import-linter's (make lint)."""

from __future__ import annotations

import ast
from importlib import import_module
from pathlib import Path

from django.apps import apps
from django.urls import reverse

from fangkong.core.modules import all_capabilities, daily_steps, modules

PACKAGE = Path(__file__).resolve().parents[2] / "fangkong"
MAX_LINES = 600


def _sources() -> list[Path]:
    return [p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts]


def _dotted(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def test_no_module_is_over_600_lines() -> None:
    offenders = {
        str(p.relative_to(PACKAGE.parent)): n
        for p in _sources()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert offenders == {}, f"modules over {MAX_LINES} lines (split them): {offenders}"


def test_every_app_declares_its_module() -> None:
    ours = [c for c in apps.get_app_configs() if c.name.startswith("fangkong.")]
    declared = {m.app for m in modules()}
    assert {c.label for c in ours} == declared
    for config in ours:
        assert import_module(f"{config.name}.module").MODULE.app == config.label


def test_every_daily_service_is_a_registered_daily_step() -> None:
    """A service named daily_* that `fangkong daily` does not run is a job nobody runs."""
    registered = {step.run for step in daily_steps()}
    defined = set()
    for path in _sources():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if (
                isinstance(node, ast.FunctionDef)
                and node.name.startswith("daily_")
                and path.name == "services.py"
                and node.name != "daily_run"  # the runner itself (fangkong.site.services)
            ):
                defined.add(f"{_dotted(path)}.{node.name}")
    assert defined - registered == set(), "daily_* services not registered as daily steps"
    assert registered - defined == set(), "daily steps naming no daily_* service"
    assert len({step.name for step in daily_steps()}) == len(daily_steps())


def test_menu_entries_open_and_capabilities_are_unique() -> None:
    values = [value for value, _label in all_capabilities()]
    assert len(values) == len(set(values))
    for module in modules():
        for entry in module.menu:
            assert reverse(entry.url_name)
            assert entry.capability is None or entry.capability in values


WRITES = {"create", "bulk_create", "update", "delete", "get_or_create", "update_or_create"}


def _foreign_models(tree: ast.Module, app: str) -> set[str]:
    """Names bound to models imported from another app's models."""
    names = set()
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module:
            parts = node.module.split(".")
            if (
                len(parts) > 2
                and parts[0] == "fangkong"
                and parts[2] == "models"
                and parts[1] != app
            ):
                names.update(alias.asname or alias.name for alias in node.names)
    return names


def _base_name(node: ast.expr) -> tuple[str | None, bool]:
    """The name a call chain starts from, and whether `.objects` is on the way."""
    through_manager = False
    while True:
        if isinstance(node, ast.Attribute):
            through_manager |= node.attr == "objects"
            node = node.value
        elif isinstance(node, ast.Call):
            node = node.func
        else:
            return (node.id if isinstance(node, ast.Name) else None), through_manager


def test_an_app_writes_another_apps_rows_only_through_its_services() -> None:
    """`Other.objects….create/update/delete(…)` outside Other's app is a write that skips
    Other's services (and their validation, audit and scoping)."""
    found = []
    for path in _sources():
        app = path.relative_to(PACKAGE).parts[0]
        if app == "site" or len(path.relative_to(PACKAGE).parts) == 1:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        foreign = _foreign_models(tree, app)
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in WRITES
            ):
                name, through_manager = _base_name(node.func.value)
                if name in foreign and through_manager:
                    found.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno} {name}")
    assert found == [], "\n".join(found)
