from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.reports import api, views

app_name = "reports"
urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("daily.xlsx", views.daily_xlsx, name="daily-xlsx"),
    path("daily/print/", views.daily_print, name="daily-print"),
]
api_urlpatterns: list[URLPattern] = [
    path("reports/daily/", api.DailyApi.as_view(), name="reports-daily"),
    path("reports/daily/range/", api.DailyRangeApi.as_view(), name="reports-daily-range"),
]
