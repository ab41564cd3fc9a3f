from django.apps import AppConfig


class UnitDutyConfig(AppConfig):
    name = "fangkong.unitduty"
    verbose_name = "单位主体责任"
