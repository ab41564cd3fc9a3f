from django.apps import AppConfig


class RoundsConfig(AppConfig):
    name = "fangkong.rounds"
    verbose_name = "巡查消杀"
