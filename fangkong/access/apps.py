from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "fangkong.access"
    verbose_name = "出入证与门岗"

    def ready(self) -> None:
        # An unannounced arrival can be registered from a gate referral (arrivals, below
        # access, learns of it through its own registry of arrival sources).
        from fangkong.access import receivers  # noqa: F401  (connects them)
        from fangkong.access.arrival_source import REFERRAL_SOURCE
        from fangkong.arrivals.notices.sources import arrival_source_register

        arrival_source_register(REFERRAL_SOURCE)
