"""Screening-sheet imports: pages (under /registry/) and API (under /api/v1/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.registry.imports import api, views

urlpatterns: list[URLPattern] = [
    path("imports/", views.imports, name="imports"),
    path("imports/template.xlsx", views.import_template, name="import-template"),
    path("imports/<int:pk>/", views.import_detail, name="import"),
    path("imports/<int:pk>/progress/", views.import_progress_fragment, name="import-progress"),
    path("imports/<int:pk>/confirm/", views.import_confirm_view, name="import-confirm"),
    path("imports/<int:pk>/cancel/", views.import_cancel_view, name="import-cancel"),
    path("imports/<int:pk>/sheet/", views.import_sheet_view, name="import-sheet"),
    path("imports/<int:pk>/errors.xlsx", views.import_report, name="import-report"),
]

api_urlpatterns: list[URLPattern] = [
    path("imports/", api.ImportsApi.as_view(), name="imports"),
    path("imports/template.xlsx", api.ImportTemplateApi.as_view(), name="import-template"),
    path("imports/<int:pk>/", api.ImportApi.as_view(), name="import"),
    path("imports/<int:pk>/confirm/", api.ImportConfirmApi.as_view(), name="import-confirm"),
    path("imports/<int:pk>/cancel/", api.ImportCancelApi.as_view(), name="import-cancel"),
    path("imports/<int:pk>/sheet/", api.ImportSheetApi.as_view(), name="import-sheet"),
    path("imports/<int:pk>/errors.xlsx", api.ImportReportApi.as_view(), name="import-report"),
]
