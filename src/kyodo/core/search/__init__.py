"""Site search that works for Japanese on SQLite and PostgreSQL alike.

- :mod:`.text`: normalising, folding and cutting text into bigrams; parsing a query.
- :mod:`.registry`: the kinds of result each app registers (its ``search`` module).
- :mod:`.index`: services call :func:`.index.refresh` in their transaction; rebuild.
- :mod:`.queries`: the ranked page of results a person may see.
"""
