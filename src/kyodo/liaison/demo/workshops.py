"""Demo data of the workshops area (filled in by that area)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kyodo.liaison.demo import DemoContext


def load(context: DemoContext) -> None:
    del context
