from django.urls import URLPattern, path

from fangkong.contacts import api, views

app_name = "contacts"
urlpatterns: list[URLPattern] = [
    path("call/<str:subject>/<int:pk>/", views.call, name="call"),
]
api_urlpatterns: list[URLPattern] = [path("calls/", api.CallApi.as_view(), name="calls")]
