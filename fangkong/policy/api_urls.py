from django.urls import path

from fangkong.policy import api

urlpatterns = [
    path("policies/", api.PolicyListApi.as_view(), name="policy-list"),
    path("policies/in-force/", api.PolicyInForceApi.as_view(), name="policy-in-force"),
]
