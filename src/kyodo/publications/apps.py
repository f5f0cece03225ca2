from django.apps import AppConfig


class PublicationsConfig(AppConfig):
    name = "kyodo.publications"
    label = "publications"
    verbose_name = "協議会の刊行物と自主財源"
