from django.urls import path

from fangkong.policy import api, views

app_name = "policy"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("new/", views.policy_new, name="new"),
    path("<int:pk>/", views.policy_detail, name="detail"),
    path("<int:pk>/publish/", views.policy_publish, name="publish"),
    path("<int:pk>/delete/", views.policy_delete, name="delete"),
]
api_urlpatterns = [
    path("policies/", api.PolicyListApi.as_view(), name="policy-list"),
    path("policies/in-force/", api.PolicyInForceApi.as_view(), name="policy-in-force"),
    path("policies/<int:pk>/", api.PolicyDetailApi.as_view(), name="policy-detail"),
    path("policies/<int:pk>/publish/", api.PolicyPublishApi.as_view(), name="policy-publish"),
    path("policies/<int:pk>/diff/", api.PolicyDiffApi.as_view(), name="policy-diff"),
]
