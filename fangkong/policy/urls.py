from django.urls import path

from fangkong.policy import api, views

app_name = "policy"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("<int:pk>/", views.policy_detail, name="detail"),
]
api_urlpatterns = [
    path("policies/", api.PolicyListApi.as_view(), name="policy-list"),
    path("policies/in-force/", api.PolicyInForceApi.as_view(), name="policy-in-force"),
]
