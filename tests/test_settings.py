"""Configuration comes from the environment; checked in a fresh interpreter each time."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

PROBE = """
import json, kyodo.settings as s
db = s.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"], "name": str(db["NAME"]), "options": db.get("OPTIONS", {}),
    "secret": s.SECRET_KEY, "debug": s.DEBUG, "hosts": s.ALLOWED_HOSTS,
    "mailer": s.MAILERS["default"]["BACKEND"], "mail_options": s.MAILERS["default"]["OPTIONS"],
    "licence": s.KYODO_OPENDATA_LICENCE,
}, default=str))
"""


def settings_with(env: dict[str, str], var_dir: Path) -> dict:
    base = {"PATH": "/usr/bin:/bin", "KYODO_VAR_DIR": str(var_dir)}
    result = subprocess.run(
        [sys.executable, "-c", PROBE], env=base | env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def test_defaults_are_sqlite_in_var_with_wal_and_a_kept_secret(tmp_path: Path) -> None:
    first = settings_with({}, tmp_path)
    assert first["engine"] == "django.db.backends.sqlite3"
    assert first["name"] == str(tmp_path / "kyodo.sqlite3")
    assert "journal_mode=WAL" in first["options"]["init_command"]
    assert first["options"]["timeout"] == 20
    assert first["debug"] is False
    assert len(first["secret"]) >= 50
    assert (tmp_path / "secret_key").stat().st_mode & 0o777 == 0o600
    assert settings_with({}, tmp_path)["secret"] == first["secret"]
    assert first["mailer"] == "django.core.mail.backends.filebased.EmailBackend"


def test_environment_overrides_database_secret_hosts_and_mail(tmp_path: Path) -> None:
    found = settings_with(
        {
            "DATABASE_URL": "postgres://kyodo:pw@db.internal:5432/kyodo",
            "SECRET_KEY": "from-the-environment",
            "DEBUG": "true",
            "ALLOWED_HOSTS": "kyodo.example.jp, www.kyodo.example.jp",
            "EMAIL_HOST": "smtp.example.jp",
            "EMAIL_PORT": "2525",
        },
        tmp_path,
    )
    assert found["engine"] == "django.db.backends.postgresql"
    assert found["name"] == "kyodo"
    assert found["secret"] == "from-the-environment"
    assert not (tmp_path / "secret_key").exists()
    assert found["debug"] is True
    assert found["hosts"] == ["kyodo.example.jp", "www.kyodo.example.jp"]
    assert found["mailer"] == "django.core.mail.backends.smtp.EmailBackend"
    assert found["mail_options"]["host"] == "smtp.example.jp"
    assert found["mail_options"]["port"] == 2525


def test_the_open_data_licence_is_cc_by_unless_the_environment_names_another(
    tmp_path: Path,
) -> None:
    assert settings_with({}, tmp_path)["licence"] == {
        "name": "クリエイティブ・コモンズ 表示 4.0 国際(CC BY 4.0)",
        "url": "https://creativecommons.org/licenses/by/4.0/deed.ja",
    }
    chosen = "CC0 1.0 全世界 https://creativecommons.org/publicdomain/zero/1.0/deed.ja"
    assert settings_with({"KYODO_OPENDATA_LICENCE": chosen}, tmp_path)["licence"] == {
        "name": "CC0 1.0 全世界",
        "url": "https://creativecommons.org/publicdomain/zero/1.0/deed.ja",
    }
    assert settings_with({"KYODO_OPENDATA_LICENCE": "鹿児島市オープンデータ利用規約"}, tmp_path)[
        "licence"
    ] == {"name": "鹿児島市オープンデータ利用規約", "url": ""}


@pytest.mark.django_db
def test_mail_goes_through_djangos_mail_framework(mailoutbox) -> None:
    from django.core import mail

    mail.send_mail("件名", "本文", None, ["member@kyodo.example"])
    assert [(m.subject, m.to) for m in mailoutbox] == [("件名", ["member@kyodo.example"])]
    assert mailoutbox[0].from_email == "kyodo <noreply@kyodo.example>"
