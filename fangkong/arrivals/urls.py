"""Returnee pages, API and public pages, composed from the sub-packages' own urls.py:
notices, inspections, observation and health."""

from __future__ import annotations

from importlib import import_module

from django.urls import URLPattern

PARTS = [
    import_module(f"fangkong.arrivals.{part}.urls")
    for part in ("notices", "inspections", "observation", "health")
]

app_name = "arrivals"
urlpatterns: list[URLPattern] = [p for part in PARTS for p in getattr(part, "urlpatterns", [])]
api_urlpatterns: list[URLPattern] = [
    p for part in PARTS for p in getattr(part, "api_urlpatterns", [])
]
public_urlpatterns: list[URLPattern] = [
    p for part in PARTS for p in getattr(part, "public_urlpatterns", [])
]
