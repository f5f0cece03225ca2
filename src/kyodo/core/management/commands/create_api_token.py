from typing import Any

from django.core.management.base import BaseCommand, CommandError

from kyodo.core.services import api_token_create
from kyodo.directory.models import User


class Command(BaseCommand):
    help = "JSON API 用の個人トークンを作ります。キーは一度だけ表示します。"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("email", help="トークンを使う利用者のメールアドレス")
        parser.add_argument("name", help="用途(例: 過去の会議の一括入力)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(email=options["email"].lower(), is_active=True).first()
        if user is None:
            raise CommandError(f"利用者 {options['email']} は登録されていません。")
        _token, key = api_token_create(user=user, name=options["name"], actor=None)
        self.stdout.write(key)
