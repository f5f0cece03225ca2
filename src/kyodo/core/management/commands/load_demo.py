from typing import Any

from django.core.management.base import BaseCommand

from kyodo.calendar import demo as calendar_demo
from kyodo.core.search import index as search_index
from kyodo.directory import demo
from kyodo.directory.models import Network
from kyodo.knowledge import demo as knowledge_demo
from kyodo.liaison import demo as liaison_demo
from kyodo.meetings import demo as meetings_demo
from kyodo.publications import demo as publications_demo


class Command(BaseCommand):
    help = "デモデータを読み込みます(読み込み済みなら何もしません)。"

    def handle(self, *args: Any, **options: Any) -> None:
        if demo.load():
            meetings_demo.load(Network.objects.get(slug=demo.NETWORK_SLUG))
            calendar_demo.load()
            publications_demo.load()
            liaison_demo.load()
            knowledge_demo.load()
            # The demo loaders write records directly; the search learns them in one pass.
            search_index.rebuild()
            search_index.optimise()
            self.stdout.write("デモデータを読み込みました。")
        else:
            self.stdout.write("デモデータは読み込み済みです。")
        self.stdout.write(f"デモ用アカウント(パスワードはすべて {demo.DEMO_PASSWORD}):")
        for email, _name, label in demo.DEMO_ACCOUNTS:
            self.stdout.write(f"  {email:<28} {label}")
        for email, _name, _key, _role, _title, label in liaison_demo.LIAISON_ACCOUNTS:
            self.stdout.write(f"  {email:<28} {label}")
