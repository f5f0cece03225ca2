from django.apps import AppConfig


class CalendarConfig(AppConfig):
    name = "kyodo.calendar"
    label = "calendar"
    verbose_name = "行事・会議カレンダー"
