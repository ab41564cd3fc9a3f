from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "fangkong.access"
    verbose_name = "出入证与门岗"
