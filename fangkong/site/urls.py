from django.urls import path

from fangkong.site import views

app_name = "site"
urlpatterns = [path("", views.home, name="home")]
