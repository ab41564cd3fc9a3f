from django.apps import AppConfig


class CadresConfig(AppConfig):
    name = "fangkong.cadres"
    verbose_name = "下沉干部"
