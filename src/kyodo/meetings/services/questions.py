"""Writes of questions and answers (質疑応答): attendees ask and vote, the moderator edits,
answers, merges and publishes. Keyword-only, atomic, audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from kyodo.core import audit
from kyodo.core.search import index as search_index
from kyodo.meetings import search
from kyodo.meetings.models import Attendee, Meeting, Question, QuestionVote

MAX_QUESTION_LENGTH = 2000


class QuestionRefusedError(ValidationError):
    """A question, vote or moderation refused; the message says why, in Japanese."""


@transaction.atomic
def question_submit(*, meeting: Meeting, actor: Any, text: str, hidden: bool = False) -> Question:
    """Put a question to the meeting, from the actor's registered organisation. Permission
    (a registered attendee or the secretariat) is checked by the caller.
    Side effects: one audit entry."""
    text = text.strip()
    if not text:
        raise QuestionRefusedError("質問を入力してください。")
    if len(text) > MAX_QUESTION_LENGTH:
        raise QuestionRefusedError(
            f"質問は{MAX_QUESTION_LENGTH}字以内にしてください(いま{len(text)}字です)。"
        )
    signed_in = getattr(actor, "is_authenticated", False)
    attendee = (
        Attendee.objects.filter(registration__meeting=meeting, user=actor)
        .select_related("registration")
        .first()
        if signed_in
        else None
    )
    Meeting.objects.select_for_update().filter(pk=meeting.pk).exists()  # one position each
    last = meeting.questions.aggregate(last=Max("position"))["last"]
    question = Question.objects.create(
        meeting=meeting,
        asked_by=actor if signed_in else None,
        organisation_id=attendee.registration.organisation_id if attendee else None,
        text=text,
        hidden=hidden,
        position=(last or 0) + 1,
    )
    audit.record(actor=actor, action="question.submit", obj=question)
    return question


def question_vote(*, question: Question, actor: Any) -> bool:
    """Vote for a question, once. Returns False when the actor had already voted.
    Side effects: a vote row (no audit entry: votes are not personal data of others)."""
    if question.asked_by_id == actor.pk:
        raise QuestionRefusedError("自分の質問には賛同できません。")
    if question.merged_into_id is not None:
        raise QuestionRefusedError("この質問はほかの質問にまとめられました。")
    try:
        with transaction.atomic():
            _vote, created = QuestionVote.objects.get_or_create(question=question, user=actor)
    except IntegrityError:  # the same vote arriving twice at once
        return False
    return created


MODERATED_FIELDS = ("published_text", "answer", "answered_by", "published", "position")


@transaction.atomic
def question_moderate(*, question: Question, actor: Any, **values: Any) -> Question:
    """Edit a question for publication, record its answer and who gave it, and choose
    whether and where it appears on the results page. Nothing is saved if any value is
    refused. Side effects: one audit entry with the changes; the question is refreshed in
    the search index."""
    question = Question.objects.select_for_update().get(pk=question.pk)
    before = {name: getattr(question, name) for name in MODERATED_FIELDS}
    for name in MODERATED_FIELDS:
        if name in values:
            setattr(question, name, values[name])
    if question.answer and question.answered_at is None:
        question.answered_at = timezone.now()
    if not question.answer:
        question.answered_at = None
    question.full_clean(exclude=["meeting", "asked_by", "organisation", "merged_into"])
    question.updated_at = timezone.now()
    question.save()
    search_index.refresh(search.QA_KIND, [question.pk])
    audit.record(
        actor=actor,
        action="question.moderate",
        obj=question,
        changes=audit.diff(before, {name: getattr(question, name) for name in MODERATED_FIELDS}),
    )
    return question


@transaction.atomic
def question_merge(*, question: Question, into: Question, actor: Any) -> Question:
    """Merge a duplicate into another question of the same meeting: its votes (without
    double counting) and the questions merged into it move over; it leaves the lists and
    is never published. Side effects: one audit entry; both questions, and those merged
    into the duplicate, are refreshed in the search index."""
    if into.meeting_id != question.meeting_id or into.pk == question.pk:
        raise QuestionRefusedError("同じ会議のほかの質問を選んでください。")
    if into.merged_into_id is not None:
        raise QuestionRefusedError("統合先の質問は、すでにほかの質問にまとめられています。")
    voters = set(into.votes.values_list("user_id", flat=True))
    if into.asked_by_id is not None:
        voters.add(into.asked_by_id)
    question.votes.exclude(user_id__in=voters).update(question=into)
    question.votes.all().delete()
    if question.asked_by_id is not None and question.asked_by_id not in voters:
        # Whoever asked the duplicate wants the same answer: they count for the question kept.
        QuestionVote.objects.create(question=into, user_id=question.asked_by_id)
    moved = list(Question.objects.filter(merged_into=question).values_list("pk", flat=True))
    Question.objects.filter(pk__in=moved).update(merged_into=into)
    question.merged_into = into
    question.published = False
    question.updated_at = timezone.now()
    question.save(update_fields=["merged_into", "published", "updated_at"])
    search_index.refresh(search.QA_KIND, [question.pk, into.pk, *moved])
    audit.record(
        actor=actor, action="question.merge", obj=question, changes={"merged_into": into.pk}
    )
    return question
