"""Serve kyodo: gunicorn for the web and the database task worker beside it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "ウェブサーバー(gunicorn)とバックグラウンド処理(db_worker)を起動します。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=settings.PORT)
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_WORKERS", "2")))

    def handle(self, *args: Any, **options: Any) -> None:
        web = [
            sys.executable, "-m", "gunicorn", "kyodo.wsgi",
            "--bind", f"{options['host']}:{options['port']}",
            "--workers", str(options["workers"]),
            "--access-logfile", "-",
        ]  # fmt: skip
        worker = [sys.executable, "-m", "kyodo", "db_worker"]
        children = [subprocess.Popen(web), subprocess.Popen(worker)]  # noqa: S603
        self.stdout.write(f"kyodo: http://{options['host']}:{options['port']}/ (Ctrl-C で停止)")

        def stop(*_args: Any) -> None:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)

        # Handled explicitly: a shell starting us in the background ignores SIGINT by default.
        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        try:
            # If either process ends, stop the other: half a kyodo would lose mail silently.
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            stop()
            for child in children:
                child.wait(timeout=30)
        codes = [child.returncode for child in children]
        if any(code not in (0, -signal.SIGTERM, -signal.SIGINT) for code in codes):
            sys.exit(1)
