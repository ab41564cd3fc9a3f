from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.reports import views

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("daily.xlsx", views.daily_xlsx, name="daily-xlsx"),
    path("daily/print/", views.daily_print, name="daily-print"),
]
