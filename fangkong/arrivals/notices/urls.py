"""Advance notices: the worker's pages (under /arrivals/), the API and the public page."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.arrivals.notices import api, public, views

urlpatterns: list[URLPattern] = [
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_new, name="notice-new"),
    path("notices/link/", views.notice_link, name="notice-link"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/confirm/", views.confirm_notice, name="notice-confirm"),
    path("notices/<int:pk>/reject/", views.reject_notice, name="notice-reject"),
    path("notices/<int:pk>/reschedule/", views.reschedule_notice, name="notice-reschedule"),
    path("unannounced/new/", views.unannounced_new, name="unannounced-new"),
]

api_urlpatterns: list[URLPattern] = [
    path("arrival-notices/", api.ArrivalNoticesApi.as_view(), name="arrival-notices"),
    path("arrival-notices/link/", api.NoticeLinkApi.as_view(), name="arrival-notice-link"),
    path("public-notices/<str:token>/", api.PublicNoticeApi.as_view(), name="public-notice"),
    path("arrival-notices/<int:pk>/", api.ArrivalNoticeApi.as_view(), name="arrival-notice"),
    path(
        "arrival-notices/<int:pk>/confirm/",
        api.NoticeConfirmApi.as_view(),
        name="arrival-notice-confirm",
    ),
    path(
        "arrival-notices/<int:pk>/reschedule/",
        api.NoticeRescheduleApi.as_view(),
        name="arrival-notice-reschedule",
    ),
    path(
        "arrival-notices/<int:pk>/reject/",
        api.NoticeRejectApi.as_view(),
        name="arrival-notice-reject",
    ),
    path(
        "unannounced-arrivals/",
        api.UnannouncedArrivalsApi.as_view(),
        name="unannounced-arrivals",
    ),
]

public_urlpatterns: list[URLPattern] = [
    path("notice/<str:token>/", public.notice_public, name="notice"),
    path("notice/<str:token>/done/<str:ref>/", public.notice_public_done, name="notice-done"),
]
