"""Extension points of the directory's services, for the apps that build on the directory
and that the directory does not know."""

from __future__ import annotations

from django.dispatch import Signal

# Sent inside the transaction of organisation_update and municipalities_import when
# organisations were renamed or moved in the tree, with ``organisation_ids``: those
# organisations and, when moved, every organisation under them (their municipality may have
# changed). Apps whose search documents show an organisation's name or municipality
# refresh them (kyodo.calendar.search, kyodo.publications.search).
organisations_renamed_or_moved = Signal()
