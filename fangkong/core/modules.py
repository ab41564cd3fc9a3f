"""Modules that plug in: what each app adds to the site, declared in one place of its own.

Every app of fangkong has a `module.py` beside its `models.py` with one `MODULE = Module(…)`.
The site collects them (`modules()`), in the order of INSTALLED_APPS, for:

* the menu (`menu`) and each role's capabilities (`capabilities`, `grants`);
* its pages, API and public pages (`urls`), mounted by `fangkong/urls.py`;
* the steps of `fangkong daily` (`daily_steps`), its demo loader (`demo`), its periodic
  tasks (`periodic_tasks`, for Celery beat), its figures in the daily report (`figures`)
  and its items on each role's 工作台 (`workbench`).

Adding an app is: list it in INSTALLED_APPS and write its own files. A module names the
functions it contributes by dotted path, so that collecting the modules imports no models,
views or services (it runs while URLs and settings load).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module
from importlib.util import find_spec
from typing import Any

from django.apps import apps
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class MenuEntry:
    """One item of the menu: a label (Chinese, marked with gettext_noop; base.html translates
    it), the URL name it opens, and the capability it needs (None: every account)."""

    label: str
    url_name: str
    capability: str | None = None
    order: int = 100


@dataclass(frozen=True)
class DailyStep:
    """One step of `fangkong daily`: `run` is the dotted path of a service
    `daily_*(*, on: date, dry_run: bool) -> int` (rows done, or that would be done); it must
    be idempotent. Steps run in `order`, each in its own transaction."""

    name: str
    label: str
    run: str
    order: int = 100


@dataclass(frozen=True)
class WorkItem:
    """One line of a 工作台 (home page): today's work of one kind, one tap from its action.
    `menu` names the menu entry (its URL name) whose badge shows `count`."""

    label: str  # already translated
    count: int
    url: str
    order: int = 100
    urgent: bool = False  # shown first and in red: someone is waiting (a fever, a referral)
    detail: str = ""
    menu: str = ""


@dataclass(frozen=True)
class Module:
    """What one app adds to the site. Every field but `app` is optional."""

    app: str  # the app's label, e.g. "arrivals"
    menu: tuple[MenuEntry, ...] = ()
    # The capabilities this app defines (a TextChoices class) and which roles hold which.
    capabilities: type | None = None
    grants: Mapping[str, frozenset[str]] = field(default_factory=dict)
    # The app's URL module, by dotted path. Its `urlpatterns` are its pages, mounted under
    # /<url_prefix>/ in the namespace `app_name`; `api_urlpatterns` go under /api/v1/ and
    # `public_urlpatterns` (pages for people without an account) under /r/.
    urls: str | None = None
    url_prefix: str = ""
    daily_steps: tuple[DailyStep, ...] = ()
    # `load() -> str` (a one-line summary), run by `fangkong demo` in `demo_order`.
    demo: str | None = None
    demo_order: int = 100
    # Celery beat entries: {"name": {"task": "…", "schedule": crontab(…)}}.
    periodic_tasks: Mapping[str, dict[str, Any]] = field(default_factory=dict)
    # Its figures in the daily report: the dotted path of a core.figures.FigureSet.
    figures: str | None = None
    # Its items on each account's 工作台: `items(user, today) -> list[WorkItem]`, by
    # dotted path; an item with nothing to do (count 0) is left out by the site.
    workbench: str | None = None


@cache
def modules() -> tuple[Module, ...]:
    """Every installed app's MODULE, in the order of INSTALLED_APPS."""
    found = []
    for config in apps.get_app_configs():
        name = f"{config.name}.module"
        if not config.name.startswith("fangkong.") or find_spec(name) is None:
            continue
        found.append(import_module(name).MODULE)
    return tuple(found)


def resolve(path: str) -> Callable[..., Any]:
    """A contributed function by its dotted path."""
    return import_string(path)  # type: ignore[no-any-return]


def daily_steps() -> list[DailyStep]:
    steps = [step for module in modules() for step in module.daily_steps]
    return sorted(steps, key=lambda step: step.order)


def periodic_tasks() -> dict[str, dict[str, Any]]:
    schedule: dict[str, dict[str, Any]] = {}
    for module in modules():
        schedule.update(module.periodic_tasks)
    return schedule


@cache
def grants() -> dict[str, frozenset[str]]:
    """Role → every capability it holds, from all modules. Read on every request (the gate
    check included), so it is built once."""
    held: dict[str, set[str]] = {}
    for module in modules():
        for role, capabilities in module.grants.items():
            held.setdefault(role, set()).update(capabilities)
    return {role: frozenset(capabilities) for role, capabilities in held.items()}


def all_capabilities() -> list[tuple[str, Any]]:
    """(value, label) of every capability of every module."""
    return [
        (value, label)
        for module in modules()
        if module.capabilities is not None
        for value, label in module.capabilities.choices  # type: ignore[attr-defined]
    ]
