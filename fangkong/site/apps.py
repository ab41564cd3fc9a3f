from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The top layer: what spans the apps (home page, menu, `demo` and `daily`)."""

    name = "fangkong.site"
    label = "site"
    verbose_name = "站点"

    def ready(self) -> None:
        from fangkong.celery import app
        from fangkong.core.modules import periodic_tasks

        # Celery beat runs what the modules schedule (fangkong.core.modules).
        app.conf.beat_schedule = periodic_tasks()
