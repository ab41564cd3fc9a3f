from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "fangkong.party"
    verbose_name = "党组织与党员捐款"
