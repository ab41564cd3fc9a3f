"""Inspections, responsibility letters and spot checks: pages (under /arrivals/) and API."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.arrivals.inspections import api, views

urlpatterns: list[URLPattern] = [
    path("notices/<int:pk>/inspection/", views.inspection_new, name="inspection-new"),
    path("notices/<int:pk>/letter/", views.letter_new, name="letter-new"),
    path("notices/<int:pk>/spot-checks/", views.spot_checks_plan, name="spot-checks-plan"),
    path("spot-checks/<int:pk>/", views.record_spot_check, name="spot-check"),
    path("letters/print/", views.letters_print, name="letters-print"),
]

api_urlpatterns: list[URLPattern] = [
    path(
        "arrival-notices/<int:pk>/inspections/",
        api.NoticeInspectionsApi.as_view(),
        name="arrival-notice-inspections",
    ),
    path(
        "arrival-notices/<int:pk>/letter/",
        api.NoticeLetterApi.as_view(),
        name="arrival-notice-letter",
    ),
    path(
        "arrival-notices/<int:pk>/spot-checks/",
        api.NoticeSpotChecksApi.as_view(),
        name="arrival-notice-spot-checks",
    ),
    path("spot-checks/<int:pk>/", api.SpotCheckApi.as_view(), name="spot-check"),
]
