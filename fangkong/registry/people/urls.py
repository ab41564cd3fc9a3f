"""People and households: pages (under /registry/) and API (under /api/v1/)."""

from __future__ import annotations

from django.urls import URLPattern, path

from fangkong.registry.people import api, views

urlpatterns: list[URLPattern] = [
    path("people/", views.people_list, name="people"),
    path("people/new/", views.person_new, name="person-new"),
    path("people/export.xlsx", views.people_export, name="people-export"),
    path("people/duplicates/", views.duplicates, name="duplicates"),
    path("people/merge/", views.person_merge, name="person-merge"),
    path("people/<int:pk>/", views.person_detail, name="person"),
    path("people/<int:pk>/edit/", views.person_edit, name="person-edit"),
    path("people/<int:pk>/reveal/", views.person_reveal, name="person-reveal"),
    path("households/", views.household_list, name="households"),
    path("households/<int:pk>/", views.household_detail, name="household"),
]

api_urlpatterns: list[URLPattern] = [
    path("people/", api.PeopleApi.as_view(), name="people"),
    path("people/duplicates/", api.DuplicatesApi.as_view(), name="people-duplicates"),
    path("people/<int:pk>/", api.PersonApi.as_view(), name="person"),
    path("people/<int:pk>/full/", api.PersonFullApi.as_view(), name="person-full"),
    path("people/<int:pk>/merge/", api.PersonMergeApi.as_view(), name="person-merge"),
    path("households/", api.HouseholdsApi.as_view(), name="households"),
    path("households/<int:pk>/", api.HouseholdApi.as_view(), name="household"),
]
