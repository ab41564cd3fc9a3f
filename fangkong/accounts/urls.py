from django.urls import path

from fangkong.accounts import api, views

app_name = "accounts"
urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
]
api_urlpatterns = [path("auth/token/", api.TokenApi.as_view(), name="auth-token")]
