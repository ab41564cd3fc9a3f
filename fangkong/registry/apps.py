from django.apps import AppConfig


class RegistryConfig(AppConfig):
    name = "fangkong.registry"
    verbose_name = "摸排登记"

    def ready(self) -> None:
        # Celery's autodiscovery imports each app's top-level `tasks` module only; the
        # registry's tasks live with the imports they run.
        from fangkong.registry.imports import tasks  # noqa: F401
