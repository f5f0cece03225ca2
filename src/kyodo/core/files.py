"""Checks on uploaded files, by their content and never by their name."""

from __future__ import annotations

import io
import uuid
from typing import IO

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from PIL import Image, ImageOps

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


# Pictures: newsletter photos and advertisement artwork. Stored re-encoded, never as sent.
MAX_IMAGE_PIXELS = 40_000_000  # a 40-megapixel photo; larger is refused, not decoded
MAX_IMAGE_SIDE = 2400  # long side kept: enough for print at 300 dpi across an A4 column
NOT_AN_IMAGE = (
    "画像として読み取れないファイルです(壊れた画像や、拡張子だけを変えたファイルは受け付けません)。"
)


def reencode_image(upload: IO[bytes]) -> ContentFile[bytes]:
    """The picture alone, under a random name: decoded and written again, so what a camera
    or phone embeds (the place a photo was taken, the device, a thumbnail of the original
    before cropping) is not kept or published. Turned upright as the camera recorded,
    reduced to MAX_IMAGE_SIDE; JPEG stays JPEG, anything else becomes PNG (the first frame
    of an animation). Raises ValidationError with a Japanese message for a file that is not
    a readable picture or is too large to decode safely."""
    upload.seek(0)
    try:
        with Image.open(upload) as opened:
            if opened.width * opened.height > MAX_IMAGE_PIXELS:
                raise ValidationError(
                    f"画像の画素数が大きすぎます({opened.width}×{opened.height})。"
                    "縮小してから送ってください。",
                    code="too_many_pixels",
                )
            source_format = opened.format
            picture = ImageOps.exif_transpose(opened)
            picture.thumbnail((MAX_IMAGE_SIDE, MAX_IMAGE_SIDE))
            output = io.BytesIO()
            if source_format == "JPEG":
                picture.convert("RGB").save(output, "JPEG", quality=90, optimize=True)
                extension = "jpg"
            else:
                if picture.mode not in ("RGB", "RGBA", "L", "LA"):
                    picture = picture.convert("RGBA")
                picture.save(output, "PNG", optimize=True)
                extension = "png"
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise ValidationError(NOT_AN_IMAGE, code="not_an_image") from error
    finally:
        upload.seek(0)
    return ContentFile(output.getvalue(), name=f"{uuid.uuid4().hex}.{extension}")
