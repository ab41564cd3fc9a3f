from django.urls import URLPattern, path

from fangkong.registry import exports, views_people

urlpatterns: list[URLPattern] = [
    path("people/", views_people.people_list, name="people"),
    path("people/new/", views_people.person_new, name="person-new"),
    path("people/export.xlsx", exports.people_export, name="people-export"),
    path("people/duplicates/", views_people.duplicates, name="duplicates"),
    path("people/merge/", views_people.person_merge, name="person-merge"),
    path("people/<int:pk>/", views_people.person_detail, name="person"),
    path("people/<int:pk>/edit/", views_people.person_edit, name="person-edit"),
    path("people/<int:pk>/reveal/", views_people.person_reveal, name="person-reveal"),
    path("households/", views_people.household_list, name="households"),
    path("households/<int:pk>/", views_people.household_detail, name="household"),
]
