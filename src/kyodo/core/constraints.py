"""Check constraints evaluated in Python.

Django checks each constraint with a query that carries every field of the model (about
70 ms for a calendar entry's nine constraints): fine for one record from an editor, minutes
for a file of thousands. The usual conditions use only comparisons, IN and IS NULL, which
Python evaluates the same way, with SQL's rule that a comparison with NULL is unknown and an
unknown condition passes. Anything else falls back to Django's query.
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import CheckConstraint, F, Q

_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "exact": operator.eq,
    "gt": operator.gt,
    "gte": operator.ge,
    "lt": operator.lt,
    "lte": operator.le,
    "in": lambda value, choices: value in choices,
}


class _NotInPythonError(Exception):
    pass


def _holds(condition: Any, obj: models.Model) -> bool | None:
    """The condition's truth for ``obj``: True, False or None (unknown)."""
    if isinstance(condition, Q):
        results = [_holds(child, obj) for child in condition.children]
        result: bool | None
        if condition.connector == Q.AND:
            result = False if False in results else None if None in results else True
        elif condition.connector == Q.OR:
            result = True if True in results else None if None in results else False
        else:
            raise _NotInPythonError
        return result if result is None or not condition.negated else not result
    lookup, wanted = _lookup(condition)
    name, _, kind = lookup.partition("__")
    kind = kind or "exact"
    value = getattr(obj, name)
    if isinstance(wanted, F):
        wanted = getattr(obj, wanted.name)  # type: ignore[attr-defined]
    if kind == "isnull":
        return (value is None) == bool(wanted)
    if kind not in _COMPARISONS:
        raise _NotInPythonError
    if value is None or wanted is None:
        return None
    return _COMPARISONS[kind](value, wanted)


def _lookup(condition: Any) -> tuple[str, Any]:
    """A condition's ``("end_date__gte", F("start_date"))``; anything else is for SQL."""
    if not (isinstance(condition, tuple) and len(condition) == 2):
        raise _NotInPythonError
    lookup, wanted = condition
    if hasattr(wanted, "resolve_expression") and not isinstance(wanted, F):
        raise _NotInPythonError
    return str(lookup), wanted


def _names(condition: Any) -> set[str]:
    """The fields a condition reads."""
    if isinstance(condition, Q):
        return set().union(*(_names(child) for child in condition.children))
    lookup, wanted = _lookup(condition)
    found = {lookup.partition("__")[0]}
    return found | {wanted.name} if isinstance(wanted, F) else found  # type: ignore[attr-defined]


def full_clean_in_python(
    obj: models.Model, errors: dict[str, list[str]], exclude: Sequence[str]
) -> None:
    """``obj.full_clean()`` with the check constraints evaluated in Python, adding the
    messages to ``errors`` by field. Constraints on a refused or excluded field are skipped,
    as Django does."""
    found: dict[str, list[str]] = {}
    try:
        obj.full_clean(exclude=list(exclude), validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        found = error.message_dict
    skipped = {*exclude, *found}
    at_fields = {message for messages in found.values() for message in messages}
    for constraint in obj._meta.constraints:
        if not isinstance(constraint, CheckConstraint):
            continue
        try:
            if _names(constraint.condition) & skipped:
                continue
            holds = _holds(constraint.condition, obj) is not False
        except _NotInPythonError:
            try:
                constraint.validate(type(obj), obj, exclude=skipped)
                holds = True
            except ValidationError:
                holds = False
        message = str(constraint.get_violation_error_message())
        if not holds and message not in at_fields:
            found.setdefault("__all__", []).append(message)
    for name, messages in found.items():
        errors.setdefault(name, []).extend(messages)
