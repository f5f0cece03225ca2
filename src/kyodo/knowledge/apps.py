from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "kyodo.knowledge"
    label = "knowledge"
    verbose_name = "情報発信・事例・Q&A"
