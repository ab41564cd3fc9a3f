from django.apps import AppConfig


class CareConfig(AppConfig):
    name = "fangkong.care"
    verbose_name = "隔离家庭服务"

    def ready(self) -> None:
        # Plug into lower apps without their importing care: the 拨打 subjects of
        # contacts and the panel of the self-report page (arrivals).
        from fangkong.care.plugs import connect

        connect()
