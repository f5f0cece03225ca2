from django.apps import AppConfig


class SurveysConfig(AppConfig):
    name = "kyodo.surveys"
    verbose_name = "アンケート"
