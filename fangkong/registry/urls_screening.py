from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.registry import views_screening as views

urlpatterns: list[URLPattern] = [
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_new, name="round-new"),
    path("rounds/<int:pk>/", views.round_detail, name="round-detail"),
    path("rounds/<int:pk>/visit/", views.round_visit, name="round-visit"),
    path("rounds/<int:pk>/changes/", views.round_changes_page, name="round-changes"),
]
