from django.apps import AppConfig


class AreasConfig(AppConfig):
    name = "fangkong.areas"
    verbose_name = "区域"
