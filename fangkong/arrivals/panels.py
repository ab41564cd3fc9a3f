"""Panels on the residents' phone pages, from apps above arrivals: care's 我需要帮助 (and
the status of the resident's requests) and the community's announcements. An app
registers a `PublicPanel` in its AppConfig.ready(); the self-report page and the advance
notice page show each panel's HTML, in `order`, for the place they are about. Arrivals
imports nothing of the apps that add them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from fangkong.areas.models import Area
from fangkong.arrivals.models import Observation

SELF_REPORT = "self_report"
NOTICE = "notice"


@dataclass(frozen=True)
class PanelPlace:
    """What a phone page is about: which page, the area (the observation's, or the
    community of the notice link) and, on the self-report page, the observation and the
    link's token."""

    page: str
    area: Area
    observation: Observation | None = None
    token: str = ""


@dataclass(frozen=True)
class PublicPanel:
    name: str
    # (request, place) → safe HTML ("" shows nothing).
    render: Callable[[HttpRequest, PanelPlace], str]
    order: int = 100


_PANELS: dict[str, PublicPanel] = {}


def public_panel_register(panel: PublicPanel) -> None:
    """Add a panel (again, under the same name: replace it)."""
    _PANELS[panel.name] = panel


def public_panels(request: HttpRequest, place: PanelPlace) -> list[Any]:
    """The panels' HTML for one phone page, in order."""
    panels = sorted(_PANELS.values(), key=lambda panel: panel.order)
    return [html for panel in panels if (html := panel.render(request, place))]
