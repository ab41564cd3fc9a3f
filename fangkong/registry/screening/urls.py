"""Screening rounds: pages (under /registry/) and API (under /api/v1/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.registry.screening import api, views

urlpatterns: list[URLPattern] = [
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_new, name="round-new"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/visit/", views.round_visit, name="round-visit"),
    path("rounds/<int:pk>/changes/", views.round_changes_page, name="round-changes"),
]

api_urlpatterns: list[URLPattern] = [
    path("screening-rounds/", api.ScreeningRoundListApi.as_view(), name="screening-round-list"),
    path(
        "screening-rounds/<int:pk>/",
        api.ScreeningRoundDetailApi.as_view(),
        name="screening-round-detail",
    ),
    path(
        "screening-rounds/<int:pk>/visits/",
        api.ScreeningVisitApi.as_view(),
        name="screening-round-visits",
    ),
    path(
        "screening-rounds/<int:pk>/changes/",
        api.ScreeningChangesApi.as_view(),
        name="screening-round-changes",
    ),
]
