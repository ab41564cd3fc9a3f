"""Observation: its pages (under /arrivals/) and its API."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.arrivals.observation import api, views

urlpatterns: list[URLPattern] = [
    path("observations/", views.observation_list, name="observations"),
    path("observations/new/", views.observation_new, name="observation-new"),
    path("observations/print/notices/", views.print_notices, name="print-notices"),
    path("observations/print/certificates/", views.print_certificates, name="print-certificates"),
    path("observations/<int:pk>/", views.observation_detail, name="observation"),
    path("notices/<int:pk>/arrive/", views.notice_arrive_page, name="notice-arrive"),
    *[
        path(
            f"observations/<int:pk>/{action}/",
            views.observation_act,
            {"action": action},
            name=f"observation-{action}",
        )
        for action in views.ACTION_FORMS
    ],
]

api_urlpatterns: list[URLPattern] = [
    path("observations/", api.ObservationsApi.as_view(), name="observations"),
    path("observations/<int:pk>/", api.ObservationApi.as_view(), name="observation"),
    path("observations/<int:pk>/extend/", api.ExtendApi.as_view(), name="observation-extend"),
    path("observations/<int:pk>/shorten/", api.ShortenApi.as_view(), name="observation-shorten"),
    path("observations/<int:pk>/release/", api.ReleaseApi.as_view(), name="observation-release"),
    path("observations/<int:pk>/hospital/", api.HospitalApi.as_view(), name="observation-hospital"),
    path("observations/<int:pk>/cancel/", api.CancelApi.as_view(), name="observation-cancel"),
    path(
        "observations/<int:pk>/self-report-link/",
        api.SelfReportLinkApi.as_view(),
        name="observation-self-report-link",
    ),
    path("arrival-notices/<int:pk>/arrive/", api.NoticeArriveApi.as_view(), name="notice-arrive"),
]
