from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from kyodo.directory import demo as demo_data
from kyodo.directory.models import Network, Organisation, User


@pytest.fixture(autouse=True, scope="session")
def _plain_static_storage() -> None:
    # The manifest storage needs `collectstatic`; tests read static files from the apps.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # WhiteNoise looks for collected files at start; the folder only needs to exist.
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)
    # Argon2 is slow on purpose; the demo accounts are hashed for every test.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _japanese() -> Iterator[None]:
    # A request with another language leaves it active in the thread; every test starts in
    # the site's language.
    with translation.override("ja"):
        yield


@dataclass
class Demo:
    network: Network
    prefecture: Organisation
    secretariat: Organisation
    kagoshima_city: Organisation
    council: Organisation
    admin: User
    secretary: User
    staff: User
    officer: User
    resident: User


@pytest.fixture
def demo(db: None) -> Demo:
    """The demo network as `make run` loads it: 52 members, five accounts, one per role."""
    demo_data.load()
    users = {user.email.split("@")[0]: user for user in User.objects.all()}
    return Demo(
        network=Network.objects.get(slug=demo_data.NETWORK_SLUG),
        prefecture=Organisation.objects.get(lgcode="460001"),
        secretariat=Organisation.objects.get(name="共生・協働推進課"),
        kagoshima_city=Organisation.objects.get(lgcode="462012"),
        council=Organisation.objects.get(name="(デモ)みなみ校区コミュニティ協議会"),
        admin=users["admin"],
        secretary=users["secretariat"],
        staff=users["staff"],
        officer=users["officer"],
        resident=users["resident"],
    )
