from django.apps import AppConfig


class UnitsConfig(AppConfig):
    name = "fangkong.units"
    verbose_name = "单位"
