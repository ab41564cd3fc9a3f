from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "fangkong.contacts"
    verbose_name = "电话联系"
