from django.apps import AppConfig


class QualityConfig(AppConfig):
    name = "fangkong.quality"
    verbose_name = "复工复产质量"
