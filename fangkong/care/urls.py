"""Care: pages (under /care/), API (under /api/v1/care/) and the resident's 我需要帮助
(under /r/help/, the self-report link's token)."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.care import api, public, views

app_name = "care"

urlpatterns: list[URLPattern] = [
    path("", views.calls, name="calls"),
    path("households/<int:pk>/", views.household, name="household"),
    path("households/<int:pk>/call/", views.call_record, name="call-record"),
    path("households/<int:pk>/request/", views.request_new, name="request-new"),
    path("requests/", views.requests, name="requests"),
    path("requests/<int:pk>/take/", views.request_take, name="request-take"),
    path("requests/<int:pk>/close/", views.request_close, name="request-close"),
    path("announcements/", views.announcements, name="announcements"),
    path("announcements/new/", views.announcement_new, name="announcement-new"),
    path(
        "announcements/<int:pk>/withdraw/",
        views.announcement_withdraw,
        name="announcement-withdraw",
    ),
    path("announcements/<int:pk>/poster/", views.announcement_poster, name="announcement-poster"),
]

api_urlpatterns: list[URLPattern] = [
    path("care/calls/", api.CallsApi.as_view(), name="care-calls"),
    path("care/summary/", api.CareSummaryApi.as_view(), name="care-summary"),
    path("care/requests/", api.RequestsApi.as_view(), name="care-requests"),
    path("care/requests/<int:pk>/take/", api.RequestTakeApi.as_view(), name="care-request-take"),
    path("care/requests/<int:pk>/close/", api.RequestCloseApi.as_view(), name="care-request-close"),
    path("care/announcements/", api.AnnouncementsApi.as_view(), name="care-announcements"),
    path(
        "care/announcements/<int:pk>/withdraw/",
        api.AnnouncementWithdrawApi.as_view(),
        name="care-announcement-withdraw",
    ),
    path(
        "care/self-requests/<str:token>/",
        api.SelfRequestsApi.as_view(),
        name="care-self-requests",
    ),
]

public_urlpatterns: list[URLPattern] = [
    path("help/<str:token>/", public.help_request, name="care-help"),
]
