from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "kyodo.core"
    verbose_name = "共通"

    def ready(self) -> None:
        # Each app registers its background job runners in its tasks module (see
        # kyodo.core.jobs); importing them all here lets every process run every kind.
        autodiscover_modules("tasks")
        # Each app registers the kinds of search result it provides in its search module
        # (see kyodo.core.search.registry).
        autodiscover_modules("search")
