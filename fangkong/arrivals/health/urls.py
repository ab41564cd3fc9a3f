"""Health reports, alerts and call tasks: pages (under /arrivals/), API, and the
self-report page reached through a personal link (under /r/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.arrivals.health import api, public, views

urlpatterns: list[URLPattern] = [
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/handle/", views.handle_alert, name="alert-handle"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/done/", views.task_done, name="task-done"),
    path("tasks/<int:pk>/assign/", views.task_assign, name="task-assign"),
    path("tasks/<int:pk>/attempt/", views.task_attempt, name="task-attempt"),
]

api_urlpatterns: list[URLPattern] = [
    path(
        "observations/<int:pk>/reports/",
        api.ObservationReportsApi.as_view(),
        name="observation-reports",
    ),
    path("alerts/", api.AlertsApi.as_view(), name="alerts"),
    path("alerts/<int:pk>/handle/", api.AlertHandleApi.as_view(), name="alert-handle"),
    path("call-tasks/", api.CallTasksApi.as_view(), name="call-tasks"),
    path("call-tasks/<int:pk>/done/", api.CallTaskDoneApi.as_view(), name="call-task-done"),
    path("call-tasks/<int:pk>/assign/", api.CallTaskAssignApi.as_view(), name="call-task-assign"),
    path(
        "call-tasks/<int:pk>/attempts/",
        api.CallTaskAttemptApi.as_view(),
        name="call-task-attempts",
    ),
    path("self-reports/<str:token>/", api.SelfReportApi.as_view(), name="self-report"),
]

public_urlpatterns: list[URLPattern] = [
    path("report/<str:token>/", public.self_report, name="self-report"),
]
