from django.apps import AppConfig


class SuppliesConfig(AppConfig):
    name = "fangkong.supplies"
    verbose_name = "防护物资"
