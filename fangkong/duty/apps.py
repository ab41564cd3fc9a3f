from django.apps import AppConfig


class DutyConfig(AppConfig):
    name = "fangkong.duty"
    verbose_name = "值守"
