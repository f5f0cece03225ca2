"""Outline numbering of Japanese official documents (公用文): 1. → (1) → ア → (ア) → a → (a).

Each level restarts from the first label. Katakana follow the gojūon order used in
公用文作成の考え方 (ア, イ, ウ, エ, オ, カ, …), without ヰ and ヱ.
"""

from __future__ import annotations

KATAKANA = (
    "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
)
LATIN = "abcdefghijklmnopqrstuvwxyz"


def _sequence(alphabet: str, index: int) -> str:
    if not 1 <= index <= len(alphabet):
        raise ValueError(f"no label for item {index} at this level")
    return alphabet[index - 1]


def outline_label(depth: int, index: int) -> str:
    """The label of the ``index``-th item (from 1) at ``depth`` (from 0)."""
    if index < 1 or depth < 0:
        raise ValueError("depth starts at 0 and index at 1")
    match depth:
        case 0:
            return f"{index}."
        case 1:
            return f"({index})"
        case 2:
            return _sequence(KATAKANA, index)
        case 3:
            return f"({_sequence(KATAKANA, index)})"
        case 4:
            return _sequence(LATIN, index)
        case _:
            return f"({_sequence(LATIN, index)})"
