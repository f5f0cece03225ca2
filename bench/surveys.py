"""Questionnaire aggregation: 10,000 responses to a 20-question questionnaire, summarised by
the database. Run by bench/run.py against the bench's own SQLite database (KYODO_VAR_DIR);
prints one markdown table row."""

from __future__ import annotations

import os
import random
import statistics
import time

import django

RESPONSES = int(os.environ.get("BENCH_SURVEY_RESPONSES", "10000"))
KINDS = ["single", "multiple", "scale", "number", "short_text"] * 4  # 20 questions


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kyodo.settings")
    django.setup()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from kyodo.directory.models import Organisation
    from kyodo.surveys import queries
    from kyodo.surveys.models import Answer, Option, Respondent, Response, Survey, SurveyQuestion

    rng = random.Random(7)  # noqa: S311 -- sample data, not secrets
    with transaction.atomic():
        survey = Survey.objects.create(owner=Organisation.objects.first(), title="bench")
        questions = []
        for position, kind in enumerate(KINDS, start=1):
            question = SurveyQuestion.objects.create(
                survey=survey, position=position, kind=kind, text=f"問{position}"
            )
            options = (
                [
                    Option.objects.create(question=question, position=n, label=f"選択肢{n}")
                    for n in range(1, 6)
                ]
                if kind in ("single", "multiple")
                else []
            )
            questions.append((question, options))
        respondents = Respondent.objects.bulk_create(
            Respondent(survey=survey, name=f"回答者{n}", token=f"bench-{n}")
            for n in range(RESPONSES)
        )
        responses = Response.objects.bulk_create(
            Response(survey=survey, respondent=r) for r in respondents
        )
        answers = []
        for response in responses:
            for question, options in questions:
                if question.kind == "single":
                    answers.append(
                        Answer(response=response, question=question, option=rng.choice(options))
                    )
                elif question.kind == "multiple":
                    for option in rng.sample(options, rng.randint(1, 3)):
                        answers.append(Answer(response=response, question=question, option=option))
                elif question.kind == "scale":
                    answers.append(
                        Answer(response=response, question=question, number=rng.randint(1, 5))
                    )
                elif question.kind == "number":
                    answers.append(
                        Answer(response=response, question=question, number=rng.randint(0, 99))
                    )
                elif rng.random() < 0.3:
                    answers.append(
                        Answer(response=response, question=question, text="感想の例文です。")
                    )
        Answer.objects.bulk_create(answers, batch_size=5000)
    timings = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            queries.summary(survey)
            timings.append(time.perf_counter() - started)
    print(
        f"| questionnaire summary | {RESPONSES:,} responses × {len(KINDS)} questions "
        f"({len(answers):,} answers) | {statistics.median(timings) * 1000:.0f} ms median of 5 "
        f"| {len(captured)} queries |"
    )


if __name__ == "__main__":
    main()
