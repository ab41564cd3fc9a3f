"""Handovers between communities: pages (under /registry/) and API (under /api/v1/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.registry.transfers import api, views

urlpatterns: list[URLPattern] = [
    path("transfers/", views.transfer_list, name="transfers"),
    path("transfers/new/", views.transfer_new, name="transfer-new"),
    *(
        path(
            f"transfers/<int:pk>/{action}/",
            views.transfer_action,
            {"action": action},
            name=f"transfer-{action}",
        )
        for action in views.ACTIONS
    ),
]

api_urlpatterns: list[URLPattern] = [
    path("transfers/", api.TransfersApi.as_view(), name="transfers"),
    path("transfers/<int:pk>/accept/", api.TransferAcceptApi.as_view(), name="transfer-accept"),
    path("transfers/<int:pk>/refuse/", api.TransferRefuseApi.as_view(), name="transfer-refuse"),
    path("transfers/<int:pk>/cancel/", api.TransferCancelApi.as_view(), name="transfer-cancel"),
]
