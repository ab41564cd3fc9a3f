from django.urls import path

from fangkong.areas import api, views

app_name = "areas"
urlpatterns = [
    path("", views.area_list, name="list"),
    path("<str:code>/", views.area_detail, name="detail"),
]
api_urlpatterns = [
    path("areas/", api.AreaListApi.as_view(), name="area-list"),
    path("areas/<str:code>/", api.AreaDetailApi.as_view(), name="area-detail"),
]
