from django.apps import AppConfig


class ArrivalsConfig(AppConfig):
    name = "fangkong.arrivals"
    verbose_name = "返京人员"
