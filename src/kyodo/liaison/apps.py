from django.apps import AppConfig


class LiaisonConfig(AppConfig):
    name = "kyodo.liaison"
    label = "liaison"
    verbose_name = "地域担当職員と協働の推進"

    def ready(self) -> None:
        from kyodo.surveys.rules import register_managed_elsewhere

        # A round's questionnaire is opened, closed and answered only through the
        # evaluation's pages, under liaison.manage_evaluation and liaison.answer_sheet.
        register_managed_elsewhere(
            "協働評価", lambda surveys: surveys.filter(liaison_round__isnull=False)
        )
