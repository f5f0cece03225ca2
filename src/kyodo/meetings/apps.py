from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "kyodo.meetings"
    verbose_name = "会議"
