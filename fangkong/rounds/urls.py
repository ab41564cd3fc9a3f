"""Rounds: pages under /rounds/, API under /api/v1/rounds/."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.rounds import api, views

app_name = "rounds"

urlpatterns: list[URLPattern] = [
    path("", views.rounds_list, name="list"),
    path("places/new/", views.place_new, name="place-new"),
    path("places/<int:pk>/", views.place_detail, name="place"),
    path("plans/new/", views.plan_new, name="plan-new"),
    path("plans/<int:pk>/record/", views.round_record, name="record"),
    path("plans/<int:pk>/end/", views.plan_end, name="plan-end"),
]

api_urlpatterns: list[URLPattern] = [
    path("rounds/places/", api.PlacesApi.as_view(), name="round-places"),
    path("rounds/plans/", api.PlansApi.as_view(), name="round-plans"),
    path("rounds/plans/<int:pk>/end/", api.PlanEndApi.as_view(), name="round-plan-end"),
    path("rounds/records/", api.RecordsApi.as_view(), name="round-records"),
    path("rounds/due/", api.DueApi.as_view(), name="rounds-due"),
]
