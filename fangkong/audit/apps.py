from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "fangkong.audit"
    verbose_name = "审计"

    def ready(self) -> None:
        from fangkong.audit import signals  # noqa: F401
