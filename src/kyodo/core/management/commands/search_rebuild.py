from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kyodo.core.search import index, registry


class Command(BaseCommand):
    help = (
        "検索索引を記録から作り直します。データベースを移したとき(SQLite と PostgreSQL の"
        "間など)や、索引の形を変えた更新の後に実行します。"
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "kinds", nargs="*", help="作り直す種類(省略するとすべて)。例: qa post case"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        known = {item.kind for item in registry.sources()}
        unknown = sorted(set(options["kinds"]) - known)
        if unknown:
            raise CommandError(
                f"知らない種類です: {', '.join(unknown)}(使える種類: {', '.join(sorted(known))})"
            )
        counts = index.rebuild(options["kinds"] or None)
        index.optimise()
        labels = {item.kind: item.label for item in registry.sources()}
        for kind, count in counts.items():
            self.stdout.write(f"{labels[kind]}: {count}件")
        self.stdout.write(f"合計 {sum(counts.values())}件を索引しました。")
