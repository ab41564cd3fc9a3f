"""Observation, health reports, alerts and call tasks (pages under /arrivals/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.arrivals import views_observation as views

urlpatterns: list[URLPattern] = [
    path("observations/", views.observation_list, name="observations"),
    path("observations/new/", views.observation_new, name="observation-new"),
    path("observations/print/notices/", views.print_notices, name="print-notices"),
    path("observations/print/certificates/", views.print_certificates, name="print-certificates"),
    path("observations/<int:pk>/", views.observation_detail, name="observation"),
    *[
        path(
            f"observations/<int:pk>/{action}/",
            views.observation_act,
            {"action": action},
            name=f"observation-{action}",
        )
        for action in views.ACTION_FORMS
    ],
    path("alerts/", views.alert_list, name="alerts"),
    path("alerts/<int:pk>/handle/", views.alert_handle, name="alert-handle"),
    path("tasks/", views.task_list, name="tasks"),
    path("tasks/<int:pk>/done/", views.task_done, name="task-done"),
]
