from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fangkong.accounts"
    verbose_name = "账号"
