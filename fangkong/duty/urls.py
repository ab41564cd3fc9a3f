"""Duty pages (under /duty/) and API (under /api/v1/duty/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.duty import api, views

app_name = "duty"
urlpatterns: list[URLPattern] = [
    path("", views.post_list, name="posts"),
    path("posts/new/", views.post_new, name="post-new"),
    path("posts/<int:pk>/", views.post_week, name="post-week"),
    path("posts/<int:pk>/assign/", views.assign, name="assign"),
    path("posts/<int:pk>/swap/", views.swap, name="swap"),
    path("posts/<int:pk>/copy-week/", views.copy_week, name="copy-week"),
    path("posts/<int:pk>/sign/", views.sign, name="sign"),
    path("posts/<int:pk>/shifts/", views.pattern, name="pattern"),
    path("shifts/<int:pk>/needed/", views.shift_needed, name="shift-needed"),
    path("assignments/<int:pk>/delete/", views.unassign, name="unassign"),
    path("attendances/<int:pk>/sign-out/", views.sign_out, name="sign-out"),
    path("hours/", views.hours, name="hours"),
    path("people/", views.people, name="people"),
]

api_urlpatterns: list[URLPattern] = [
    path("duty/coverage/", api.CoverageApi.as_view(), name="duty-coverage"),
    path("duty/posts/", api.PostsApi.as_view(), name="duty-posts"),
    path("duty/posts/<int:pk>/shifts/", api.PatternApi.as_view(), name="duty-pattern"),
    path("duty/shifts/<int:pk>/", api.ShiftApi.as_view(), name="duty-shift"),
    path("duty/posts/<int:pk>/week/", api.WeekApi.as_view(), name="duty-week"),
    path("duty/posts/<int:pk>/copy-week/", api.CopyWeekApi.as_view(), name="duty-copy-week"),
    path("duty/posts/<int:pk>/sign-in/", api.SignInApi.as_view(), name="duty-sign-in"),
    path("duty/people/", api.PeopleApi.as_view(), name="duty-people"),
    path("duty/assignments/", api.AssignmentsApi.as_view(), name="duty-assignments"),
    path("duty/assignments/swap/", api.SwapApi.as_view(), name="duty-swap"),
    path("duty/assignments/<int:pk>/", api.AssignmentApi.as_view(), name="duty-assignment"),
    path("duty/attendances/<int:pk>/sign-out/", api.SignOutApi.as_view(), name="duty-sign-out"),
    path("duty/hours/", api.HoursApi.as_view(), name="duty-hours"),
]
