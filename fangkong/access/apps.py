from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "fangkong.access"
    verbose_name = "出入证与门岗"

    def ready(self) -> None:
        from fangkong.access import receivers  # noqa: F401  (connects them)
