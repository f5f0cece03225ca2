from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "kyodo.core"
    verbose_name = "共通"
