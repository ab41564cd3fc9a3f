from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.access import api, views
from fangkong.access.visits.api import ReferralHandleApi, ReferralListApi, VisitListApi

app_name = "access"
urlpatterns: list[URLPattern] = [
    path("passes/", views.pass_list, name="passes"),
    path("passes/new/", views.pass_new, name="pass-new"),
    path("passes/print/", views.pass_print, name="pass-print"),
    path("passes/<int:pk>/", views.pass_detail, name="pass"),
    path("passes/<int:pk>/<str:action>/", views.pass_action, name="pass-action"),
    path("gates/", views.gate_list, name="gates"),
    path("gates/<int:pk>/", views.gate_detail, name="gate-detail"),
    path("checks/", views.check_list, name="checks"),
    path("people/<int:pk>/movements/", views.movements, name="movements"),
    path("referrals/", views.referral_list, name="referrals"),
    path("referrals/<int:pk>/handle/", views.referral_handle, name="referral-handle"),
    path("visits/", views.visit_list, name="visits"),
    # The guard's phone pages.
    path("gate/", views.gate_page, name="gate"),
    path("gate/visit/", views.gate_visit, name="gate-visit"),
]
api_urlpatterns: list[URLPattern] = [
    path("gate-checks/", api.GateCheckApi.as_view(), name="gate-checks"),
    path("gates/", api.GateListApi.as_view(), name="gates"),
    path("passes/", api.PassListApi.as_view(), name="passes"),
    path("passes/<int:pk>/<str:action>/", api.PassActionApi.as_view(), name="pass-action"),
    path("gate-referrals/", ReferralListApi.as_view(), name="gate-referrals"),
    path(
        "gate-referrals/<int:pk>/handle/",
        ReferralHandleApi.as_view(),
        name="gate-referral-handle",
    ),
    path("visits/", VisitListApi.as_view(), name="visits"),
]
