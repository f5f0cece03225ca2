from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "kyodo.directory"
    verbose_name = "名簿"
