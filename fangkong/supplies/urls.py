"""Supplies: pages (under /supplies/) and API (under /api/v1/supplies/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.supplies import api, views

app_name = "supplies"

urlpatterns: list[URLPattern] = [
    path("", views.stock, name="stock"),
    path("stores/new/", views.store_new, name="store-new"),
    path("stores/<int:pk>/", views.store_detail, name="store"),
    path(
        "stores/<int:pk>/minimum/",
        views.store_movement,
        {"kind": "minimum"},
        name="minimum",
    ),
    path("stores/<int:pk>/<str:kind>/", views.store_movement, name="movement"),
    path("movements/<int:pk>/reverse/", views.movement_reverse, name="reverse"),
    path("items/new/", views.item_new, name="item-new"),
    path("items/<int:pk>/active/", views.item_active, name="item-active"),
]

api_urlpatterns: list[URLPattern] = [
    path("supplies/items/", api.ItemsApi.as_view(), name="supplies-items"),
    path("supplies/items/<int:pk>/", api.ItemApi.as_view(), name="supplies-item"),
    path("supplies/stores/", api.StoresApi.as_view(), name="supplies-stores"),
    path("supplies/stock/", api.StockApi.as_view(), name="supplies-stock"),
    path("supplies/movements/", api.MovementsApi.as_view(), name="supplies-movements"),
    path(
        "supplies/movements/<int:pk>/reverse/",
        api.MovementReverseApi.as_view(),
        name="supplies-movement-reverse",
    ),
    path("supplies/minimums/", api.MinimumsApi.as_view(), name="supplies-minimums"),
]
