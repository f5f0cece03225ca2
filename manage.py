#!/usr/bin/env python
"""Same as the ``kyodo`` command, for those used to manage.py."""

from kyodo.__main__ import main

if __name__ == "__main__":
    main()
