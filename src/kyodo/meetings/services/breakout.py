"""Writes of breakout groups (分科会・グループ分け): form the groups, adjust them by hand, name
facilitators and note-takers, record the notes. Keyword-only, atomic, audited."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from kyodo.core import audit
from kyodo.meetings import grouping, queries
from kyodo.meetings.models import (
    Attendee,
    BreakoutGroup,
    BreakoutMember,
    BreakoutMode,
    BreakoutSession,
    Meeting,
)

MAX_GROUPS = 200
GROUP_FIELDS = ("name", "facilitator", "note_taker", "notes", "notes_published")


class BreakoutRefusedError(ValidationError):
    """A grouping or an adjustment refused; the message says why, in Japanese."""


def default_name(position: int, value: str, letter: int | None, *, by_answer: bool) -> str:
    """「グループ3」, or for groups by answer 「1・2 A」 (「未回答」 for those who gave none)."""
    if not by_answer:
        return f"グループ{position}"
    label = value or "未回答"
    return label if letter is None else f"{label} {chr(ord('A') + letter)}"


def _names(values: list[str], *, by_answer: bool) -> list[str]:
    names = []
    for index, value in enumerate(values):
        same = [i for i, v in enumerate(values) if v == value]
        letter = same.index(index) if by_answer and len(same) > 1 else None
        names.append(default_name(index + 1, value, letter, by_answer=by_answer))
    return names


def _check_request(meeting: Meeting, mode: str, group_count: int) -> None:
    if mode not in BreakoutMode.values:
        raise BreakoutRefusedError("分け方を選んでください。")
    if mode == BreakoutMode.ATTRIBUTE and not meeting.grouping_label:
        raise BreakoutRefusedError(
            "この会議にはグループ分けの質問がありません。"
            "「記録を編集」で質問と選択肢を設定してから、回答ごとに分けてください。"
        )
    if group_count > MAX_GROUPS:
        raise BreakoutRefusedError(f"グループ数は{MAX_GROUPS}以下にしてください。")


@transaction.atomic
def breakout_create(
    *, meeting: Meeting, actor: Any, title: str, mode: str, group_count: int
) -> BreakoutSession:
    """Start a round of group work and form its groups from the registered attendees (those
    marked absent left out). Side effects: the session, its groups and members; one audit
    entry for the session and one for the grouping."""
    title = title.strip() or "感想共有"
    _check_request(meeting, mode, group_count)
    # A count below one is refused by the grouping below, with its message, rather than by
    # the database's constraint here; the whole creation is then rolled back.
    session = BreakoutSession.objects.create(
        meeting=meeting, title=title, mode=mode, group_count=max(group_count, 1)
    )
    audit.record(actor=actor, action="breakout.create", obj=session, changes={"title": title})
    breakout_assign(session=session, actor=actor, mode=mode, group_count=group_count)
    return session


@transaction.atomic
def breakout_assign(
    *, session: BreakoutSession, actor: Any, mode: str, group_count: int
) -> grouping.Plan:
    """Form the groups again, ``mode`` mix or by attribute, into ``group_count`` groups.
    Locked members stay in their group; groups past the new count are removed; a group keeps
    its name, notes and roles unless the answer it is for changes (its name then follows
    the answer), and a facilitator or note-taker who moved away loses the role.
    Side effects: the groups and members replaced; one audit entry with the sizes and the
    number of same-organisation pairs."""
    session = (
        BreakoutSession.objects.select_for_update().select_related("meeting").get(pk=session.pk)
    )
    meeting = session.meeting
    _check_request(meeting, mode, group_count)
    people = [person for _attendee, person in queries.breakout_people(meeting)]
    keys = {person.key for person in people}
    locked = {
        attendee_id: position - 1
        for attendee_id, position in session.members.filter(locked=True).values_list(
            "attendee_id", "group__position"
        )
        if attendee_id in keys
    }
    try:
        if mode == BreakoutMode.ATTRIBUTE:
            plan = grouping.by_attribute(
                people,
                group_count,
                values=meeting.grouping_choices,
                locked=locked,
                seed=session.pk,
            )
        else:
            plan = grouping.mix(people, group_count, locked=locked, seed=session.pk)
    except grouping.GroupingError as error:
        raise BreakoutRefusedError(str(error)) from error

    names = _names(plan.values, by_answer=mode == BreakoutMode.ATTRIBUTE)
    existing = list(session.groups.order_by("position"))
    former_names = _names(
        [group.value for group in existing], by_answer=session.mode == BreakoutMode.ATTRIBUTE
    )
    session.groups.filter(position__gt=group_count).delete()
    groups: list[BreakoutGroup] = []
    for index, value in enumerate(plan.values):
        if index >= len(existing):
            group = BreakoutGroup.objects.create(
                session=session, position=index + 1, name=names[index], value=value
            )
        else:
            group = existing[index]
            # A name given by hand stays while the group is for the same answer.
            renamed = group.name != former_names[index]
            if group.value != value or session.mode != mode or not renamed:
                group.value = value
                group.name = names[index]
                group.save(update_fields=["value", "name"])
        groups.append(group)
    session.members.filter(locked=False).delete()
    session.members.exclude(attendee_id__in=keys).delete()
    BreakoutMember.objects.bulk_create(
        BreakoutMember(session=session, group=groups[index], attendee_id=key)
        for key, index in plan.group_of.items()
        if key not in locked
    )
    _drop_roles_of_leavers(session)
    session.mode = mode
    session.group_count = group_count
    session.assigned_at = timezone.now()
    session.save(update_fields=["mode", "group_count", "assigned_at"])
    audit.record(
        actor=actor,
        action="breakout.assign",
        obj=session,
        changes={
            "mode": mode,
            "group_count": group_count,
            "locked": len(locked),
            "sizes": plan.sizes,
            "same_organisation_pairs": plan.same_organisation_pairs,
        },
    )
    return plan


def _drop_roles_of_leavers(session: BreakoutSession) -> None:
    """A facilitator or note-taker who is no longer in the group loses the role."""
    for role in ("facilitator", "note_taker"):
        in_group = BreakoutMember.objects.filter(
            group_id=OuterRef("pk"), attendee_id=OuterRef(f"{role}_id")
        )
        session.groups.filter(**{f"{role}__isnull": False}).filter(~Exists(in_group)).update(
            **{role: None}
        )


def _member(session: BreakoutSession, attendee: Attendee) -> BreakoutMember | None:
    if attendee.registration.meeting_id != session.meeting_id:
        raise BreakoutRefusedError(f"{attendee.name}さんはこの会議の参加者ではありません。")
    return session.members.select_related("group").filter(attendee=attendee).first()


@transaction.atomic
def breakout_move(
    *, session: BreakoutSession, attendee: Attendee, group: BreakoutGroup, actor: Any
) -> BreakoutMember:
    """Put an attendee into a group (also one not yet in any), locked so that forming the
    groups again keeps them there. Side effects: a role in the former group is dropped; one
    audit entry."""
    if group.session_id != session.pk:
        raise BreakoutRefusedError("このグループ分けのグループを選んでください。")
    member = _member(session, attendee)
    before = member.group.name if member else ""
    if member is None:
        member = BreakoutMember.objects.create(
            session=session, group=group, attendee=attendee, locked=True
        )
    else:
        member.group = group
        member.locked = True
        member.save(update_fields=["group", "locked"])
    _drop_roles_of_leavers(session)
    audit.record(
        actor=actor,
        action="breakout.move",
        obj=session,
        changes={"attendee": attendee.pk, "group": [before, group.name]},
    )
    return member


@transaction.atomic
def breakout_swap(
    *, session: BreakoutSession, attendee: Attendee, other: Attendee, actor: Any
) -> None:
    """Exchange the groups of two attendees, both then locked. Side effects: their roles in
    their former groups are dropped; one audit entry."""
    first, second = _member(session, attendee), _member(session, other)
    if first is None or second is None:
        raise BreakoutRefusedError(
            "入れ替える2人は、どちらもグループに入っている参加者を選んでください。"
        )
    if first.group_id == second.group_id:
        raise BreakoutRefusedError("同じグループの2人は入れ替えられません。")
    first.group, second.group = second.group, first.group
    for member in (first, second):
        member.locked = True
        member.save(update_fields=["group", "locked"])
    _drop_roles_of_leavers(session)
    audit.record(
        actor=actor,
        action="breakout.swap",
        obj=session,
        changes={"attendees": [attendee.pk, other.pk]},
    )


@transaction.atomic
def breakout_lock(
    *, session: BreakoutSession, attendee: Attendee, locked: bool, actor: Any
) -> BreakoutMember:
    """Lock an attendee in their group (forming the groups again keeps them), or unlock.
    Side effects: one audit entry."""
    member = _member(session, attendee)
    if member is None:
        raise BreakoutRefusedError(f"{attendee.name}さんはまだどのグループにも入っていません。")
    member.locked = locked
    member.save(update_fields=["locked"])
    audit.record(
        actor=actor,
        action="breakout.lock" if locked else "breakout.unlock",
        obj=session,
        changes={"attendee": attendee.pk, "group": member.group.name},
    )
    return member


@transaction.atomic
def breakout_group_update(*, group: BreakoutGroup, actor: Any, **values: Any) -> BreakoutGroup:
    """Rename a group, name its facilitator and note-taker (members of the group), record
    its notes and choose whether they appear on the results page. Nothing is saved if any
    value is refused. Side effects: one audit entry with the changes."""
    group = BreakoutGroup.objects.select_for_update().get(pk=group.pk)
    before = {name: getattr(group, name) for name in GROUP_FIELDS}
    for name in GROUP_FIELDS:
        if name in values:
            setattr(group, name, values[name])
    members = set(group.members.values_list("attendee_id", flat=True))
    errors: dict[str, list[str]] = {}
    for role, label in (("facilitator", "ファシリテーター"), ("note_taker", "記録係")):
        person = getattr(group, role)
        if person is not None and person.pk not in members:
            errors[role] = [f"{label}はこのグループの参加者から選んでください。"]
    if group.facilitator is not None and group.facilitator == group.note_taker:
        errors.setdefault("note_taker", []).append(
            "ファシリテーターと記録係は別の人にしてください。"
        )
    if errors:
        raise BreakoutRefusedError(errors)
    try:
        group.full_clean(exclude=["session", "facilitator", "note_taker"])
    except ValidationError as error:
        raise BreakoutRefusedError(error.message_dict) from error
    group.updated_at = timezone.now()
    group.save()
    audit.record(
        actor=actor,
        action="breakout.group_update",
        obj=group,
        changes=audit.diff(before, {name: getattr(group, name) for name in GROUP_FIELDS}),
    )
    return group


@transaction.atomic
def breakout_delete(*, session: BreakoutSession, actor: Any) -> None:
    """Remove a round of group work with its groups and notes. Side effects: one audit
    entry on the meeting."""
    meeting = session.meeting
    title = session.title
    session.delete()
    audit.record(actor=actor, action="breakout.delete", obj=meeting, changes={"title": title})
