"""Units' duty: pages (under /unitduty/) and API (under /api/v1/unitduty/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.unitduty import api, views

app_name = "unitduty"

urlpatterns: list[URLPattern] = [
    path("", views.units, name="units"),
    path("units/<int:pk>/", views.unit, name="unit"),
    path("units/<int:pk>/report/", views.report_new, name="report"),
    path("units/<int:pk>/profile/", views.profile, name="profile"),
    path("units/<int:pk>/dormitories/", views.dormitory_new, name="dormitory-new"),
    path("units/<int:pk>/findings/", views.finding_new, name="finding-new"),
    path("units/<int:pk>/inspections/", views.inspection_new, name="inspection-new"),
    path("units/<int:pk>/letters/", views.letter_new, name="letter-new"),
    path("units/<int:pk>/chiefs/", views.chief_set, name="chief-set"),
    path("dormitories/<int:pk>/rooms/", views.room_new, name="room-new"),
    path("dormitories/<int:pk>/check/", views.dormitory_check, name="dormitory-check"),
    path("findings/", views.findings, name="findings"),
    path("findings/<int:pk>/close/", views.finding_close, name="finding-close"),
]

api_urlpatterns: list[URLPattern] = [
    path("unitduty/reports/", api.ReportsApi.as_view(), name="unitduty-reports"),
    path("unitduty/units/<int:pk>/profile/", api.ProfileApi.as_view(), name="unitduty-profile"),
    path("unitduty/dormitories/", api.DormitoriesApi.as_view(), name="unitduty-dormitories"),
    path("unitduty/dormitories/<int:pk>/rooms/", api.RoomsApi.as_view(), name="unitduty-rooms"),
    path(
        "unitduty/dormitories/<int:pk>/check/",
        api.DormitoryCheckApi.as_view(),
        name="unitduty-dormitory-check",
    ),
    path("unitduty/findings/", api.FindingsApi.as_view(), name="unitduty-findings"),
    path("unitduty/inspections/", api.InspectionsApi.as_view(), name="unitduty-inspections"),
    path("unitduty/letters/", api.LettersApi.as_view(), name="unitduty-letters"),
    path("unitduty/units/<int:pk>/", api.UnitDutyApi.as_view(), name="unitduty-unit"),
    path("unitduty/units/<int:pk>/chiefs/", api.ChiefsApi.as_view(), name="unitduty-chiefs"),
    path(
        "unitduty/findings/<int:pk>/close/",
        api.FindingCloseApi.as_view(),
        name="unitduty-finding-close",
    ),
]
