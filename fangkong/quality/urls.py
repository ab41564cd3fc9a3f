"""Quality: pages (under /quality/) and API (under /api/v1/quality/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.quality import api, views

app_name = "quality"

urlpatterns: list[URLPattern] = [
    path("", views.batches, name="batches"),
    path("products/new/", views.product_new, name="product-new"),
    path("batches/new/", views.batch_new, name="batch-new"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/inspect/", views.batch_inspect, name="inspect"),
    path("batches/<int:pk>/pack/", views.batch_pack, name="pack"),
]

api_urlpatterns: list[URLPattern] = [
    path("quality/sampling-plan/", api.SamplingPlanApi.as_view(), name="quality-sampling-plan"),
    path("quality/products/", api.ProductsApi.as_view(), name="quality-products"),
    path("quality/batches/", api.BatchesApi.as_view(), name="quality-batches"),
    path("quality/batches/<int:pk>/", api.BatchApi.as_view(), name="quality-batch"),
    path(
        "quality/batches/<int:pk>/inspection/",
        api.BatchInspectApi.as_view(),
        name="quality-batch-inspect",
    ),
    path("quality/batches/<int:pk>/pack/", api.BatchPackApi.as_view(), name="quality-batch-pack"),
]
