from django.urls import URLPattern, path

from fangkong.units import api

api_urlpatterns: list[URLPattern] = [path("units/", api.UnitListApi.as_view(), name="units")]
