"""Pages of the calendar: public views (pages.py), the officers' editor (manage.py) and the
open-data file with its import (opendata.py)."""

from kyodo.calendar.views.manage import (
    entry_create,
    entry_delete,
    entry_edit,
    entry_status,
    manage,
)
from kyodo.calendar.views.opendata import entries_import, event_csv, opendata
from kyodo.calendar.views.pages import agenda, entry_detail, entry_ics, feed, month, week

__all__ = [
    "agenda",
    "entries_import",
    "entry_create",
    "entry_delete",
    "entry_detail",
    "entry_edit",
    "entry_ics",
    "entry_status",
    "event_csv",
    "feed",
    "manage",
    "month",
    "opendata",
    "week",
]
