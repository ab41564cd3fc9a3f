"""Cadres: pages (under /cadres/) and API (under /api/v1/cadres/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.cadres import api, views

app_name = "cadres"

urlpatterns: list[URLPattern] = [
    path("", views.cadre_list, name="list"),
    path("new/", views.cadre_new, name="new"),
    path("<int:pk>/", views.cadre_detail, name="detail"),
    path("<int:pk>/health/", views.health_check, name="health"),
    path("<int:pk>/sign-in/", views.sign_in, name="sign-in"),
    path("<int:pk>/reassign/", views.cadre_action, {"action": "reassign"}, name="reassign"),
    path("<int:pk>/end/", views.cadre_action, {"action": "end"}, name="end"),
    path("<int:pk>/insurance/", views.cadre_action, {"action": "insurance"}, name="insurance"),
    path("<int:pk>/training/", views.cadre_action, {"action": "training"}, name="training"),
    path("organs/", views.organs, name="organs"),
    path("organs/<int:pk>/sends/", views.organ_sends, name="organ-sends"),
    path("allocation/", views.allocation, name="allocation"),
]

api_urlpatterns: list[URLPattern] = [
    path("cadres/organs/", api.OrgansApi.as_view(), name="cadres-organs"),
    path("cadres/organs/<int:pk>/sends/", api.OrganSendsApi.as_view(), name="cadres-organ-sends"),
    path("cadres/organ-report/", api.OrganReportApi.as_view(), name="cadres-organ-report"),
    path("cadres/allocation/", api.AllocationApi.as_view(), name="cadres-allocation"),
    path("cadres/", api.CadresApi.as_view(), name="cadres"),
    path("cadres/<int:pk>/report/", api.CadreReportApi.as_view(), name="cadre-report"),
    path("cadres/<int:pk>/health-checks/", api.HealthCheckApi.as_view(), name="cadre-health"),
    path("cadres/<int:pk>/sign-ins/", api.SignInApi.as_view(), name="cadre-sign-in"),
    path("cadres/<int:pk>/reassign/", api.ReassignApi.as_view(), name="cadre-reassign"),
    path("cadres/<int:pk>/end/", api.EndApi.as_view(), name="cadre-end"),
    path("cadres/<int:pk>/insurances/", api.InsuranceApi.as_view(), name="cadre-insurances"),
    path("cadres/<int:pk>/trainings/", api.TrainingApi.as_view(), name="cadre-trainings"),
]
