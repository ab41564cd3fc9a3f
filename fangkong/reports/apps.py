from django.apps import AppConfig


class ReportsConfig(AppConfig):
    name = "fangkong.reports"
    verbose_name = "日报与数据看板"

    def ready(self) -> None:
        from fangkong.reports.receivers import connect

        connect()
