"""Pages for advance notices, inspections, responsibility letters and spot checks."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.arrivals import views_notices as views

urlpatterns: list[URLPattern] = [
    path("notices/", views.notice_list, name="notices"),
    path("notices/new/", views.notice_new, name="notice-new"),
    path("notices/link/", views.notice_link, name="notice-link"),
    path("notices/<int:pk>/", views.notice_detail, name="notice"),
    path("notices/<int:pk>/confirm/", views.notice_confirm, name="notice-confirm"),
    path("notices/<int:pk>/reject/", views.notice_reject, name="notice-reject"),
    path("notices/<int:pk>/reschedule/", views.notice_reschedule, name="notice-reschedule"),
    path("notices/<int:pk>/inspection/", views.inspection_new, name="inspection-new"),
    path("notices/<int:pk>/letter/", views.letter_new, name="letter-new"),
    path("notices/<int:pk>/spot-checks/", views.spot_checks_plan, name="spot-checks-plan"),
    path("spot-checks/<int:pk>/", views.spot_check_record, name="spot-check"),
    path("unannounced/new/", views.unannounced_new, name="unannounced-new"),
    path("letters/print/", views.letters_print, name="letters-print"),
]
