"""`make run` ends in `kyodo serve`: the web server and the task worker, started and stopped
together. Run for real on a free port with its own SQLite file."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

KYODO = [sys.executable, "-m", "kyodo"]
ENQUEUE = (
    "from kyodo.core.tasks import send_mail; "
    "send_mail.enqueue(subject='serve test', body='本文', to=['member@kyodo.example'])"
)


def wait_for(condition, what: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen in {seconds} s"
        time.sleep(0.3)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_serve_answers_with_demo_data_and_stops_both_processes(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env |= {"KYODO_VAR_DIR": str(tmp_path), "PORT": str(free_port()), "WEB_WORKERS": "1"}
    for command in (
        ["migrate", "-v", "0"],
        ["createcachetable"],
        ["collectstatic", "--no-input", "-v", "0"],
        ["load_demo"],
        ["shell", "-c", ENQUEUE],
    ):
        subprocess.run([*KYODO, *command], env=env, check=True, capture_output=True)
    server = subprocess.Popen(
        [*KYODO, "serve"], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        url = f"http://127.0.0.1:{env['PORT']}/networks/kagoshima/members/"
        pages: list[str] = []

        def page_answers() -> bool:
            try:
                with urllib.request.urlopen(url, timeout=5) as response:
                    pages.append(response.read().decode())
            except urllib.error.HTTPError:
                raise
            except OSError:
                return False
            return True

        wait_for(page_answers, "an answer from kyodo serve")
        html = pages[0]
        assert "462012" in html
        assert "鹿児島地域振興局" in html

        # The task worker runs beside the web server: the queued message reaches the mailer
        # (after the demo's own work: its results PDF and the request to check a draft).
        def sent() -> bool:
            return any("serve test" in f.read_text() for f in (tmp_path / "mail").glob("*.log"))

        wait_for(sent, "sending the queued mail", seconds=90)
    finally:
        server.send_signal(signal.SIGINT)
        output, _ = server.communicate(timeout=40)
    assert server.returncode == 0, output
    assert "Shutting down" in output
