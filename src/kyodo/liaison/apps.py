from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "kyodo.liaison"
    label = "liaison"
    verbose_name = "地域担当職員と協働の推進"
