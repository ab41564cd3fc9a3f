"""Registry pages and API: people and households, screening rounds, spreadsheet imports, handovers,
each sub-package's own `urlpatterns` (pages) and `api_urlpatterns` composed here."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver

import fangkong.registry.imports.urls
import fangkong.registry.people.urls
import fangkong.registry.screening.urls
import fangkong.registry.transfers.urls

_PARTS = (
    fangkong.registry.people.urls,
    fangkong.registry.screening.urls,
    fangkong.registry.imports.urls,
    fangkong.registry.transfers.urls,
)

app_name = "registry"
urlpatterns: list[URLPattern | URLResolver] = [p for part in _PARTS for p in part.urlpatterns]
api_urlpatterns: list[URLPattern | URLResolver] = [
    p for part in _PARTS for p in part.api_urlpatterns
]
