"""Checks on uploaded files, by their content and never by their name."""

from __future__ import annotations

from typing import IO

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

MAX_PDF_BYTES = 20 * 1024 * 1024
_HEAD = 1024  # the PDF header may follow a little junk (ISO 32000-1, 7.5.2)
_TAIL = 2048  # and %%EOF may be followed by a few bytes


def check_pdf(file: IO[bytes], *, size: int, max_bytes: int = MAX_PDF_BYTES) -> None:
    """Refuse a file that is empty, too large, or not a PDF document, with a message in
    Japanese. Reads only the first and last few kilobytes."""
    if size == 0:
        raise ValidationError("ファイルが空です。", code="empty")
    if size > max_bytes:
        raise ValidationError(
            f"ファイルが大きすぎます({filesizeformat(size)})。"
            f"{filesizeformat(max_bytes)}以下にしてください。",
            code="too_large",
        )
    file.seek(0)
    head = file.read(_HEAD)
    file.seek(max(size - _TAIL, 0))
    tail = file.read(_TAIL)
    file.seek(0)
    if b"%PDF-" not in head or b"%%EOF" not in tail:
        raise ValidationError(
            "PDFファイルではありません。ファイルの中身がPDFの形式になっていません"
            "(拡張子だけを .pdf に変えたファイルは受け付けません)。",
            code="not_pdf",
        )
