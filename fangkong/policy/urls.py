from django.urls import path

from fangkong.policy import views

app_name = "policy"
urlpatterns = [
    path("", views.policy_list, name="list"),
    path("<int:pk>/", views.policy_detail, name="detail"),
]
