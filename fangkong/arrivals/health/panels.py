"""Panels on the resident's phone pages, from apps above arrivals (care: 我需要帮助 and the
status of the resident's requests; the community's announcements). An app registers a
`PublicPanel` in its AppConfig.ready(); arrivals' self-report page shows each panel's
HTML under its own form, in `order`. Arrivals imports nothing of the apps that add them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest

from fangkong.arrivals.models import Observation


@dataclass(frozen=True)
class PublicPanel:
    name: str
    # (request, observation, link token) → safe HTML ("" shows nothing).
    render: Callable[[HttpRequest, Observation, str], str]
    order: int = 100


_PANELS: dict[str, PublicPanel] = {}


def public_panel_register(panel: PublicPanel) -> None:
    """Add a panel (again, under the same name: replace it)."""
    _PANELS[panel.name] = panel


def public_panels(request: HttpRequest, observation: Observation, token: str) -> list[Any]:
    """The panels' HTML for one self-report page, in order."""
    panels = sorted(_PANELS.values(), key=lambda panel: panel.order)
    return [html for panel in panels if (html := panel.render(request, observation, token))]
