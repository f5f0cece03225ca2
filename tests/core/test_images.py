"""Pictures people upload (newsletter photos, advertisement artwork) are stored re-encoded:
what the camera embedded is dropped, the picture is turned upright, and files that are not
pictures are refused with a message."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from PIL import Image

from kyodo.core import files
from kyodo.core.files import reencode_image

GPS_IFD = 0x8825
ORIENTATION = 0x0112


def photo_with_location(*, orientation: int = 1) -> bytes:
    """A 40×20 JPEG carrying the place it was taken and an orientation, as phones write."""
    image = Image.new("RGB", (40, 20), "red")
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(GPS_IFD).update({1: "N", 2: (31.0, 35.0, 47.0), 3: "E", 4: (130.0, 33.0, 25.0)})
    output = io.BytesIO()
    image.save(output, "JPEG", exif=exif)
    return output.getvalue()


def test_the_location_and_device_of_a_photo_are_not_kept():
    original = photo_with_location()
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)  # the test's premise
    stored = reencode_image(io.BytesIO(original))
    assert stored.name.endswith(".jpg")
    kept = Image.open(io.BytesIO(stored.read()))
    assert kept.format == "JPEG"
    assert kept.size == (40, 20)
    assert not kept.getexif().get_ifd(GPS_IFD)
    assert 0x010F not in kept.getexif()
    assert b"PhoneMaker" not in stored.read()


def test_a_photo_taken_sideways_is_stored_upright():
    stored = reencode_image(io.BytesIO(photo_with_location(orientation=6)))  # rotated 90°
    assert Image.open(io.BytesIO(stored.read())).size == (20, 40)


def test_other_formats_become_png_and_large_pictures_are_reduced():
    output = io.BytesIO()
    Image.new("RGBA", (3000, 1500), (0, 128, 0, 128)).save(output, "WEBP")
    stored = reencode_image(output)
    kept = Image.open(io.BytesIO(stored.read()))
    assert (kept.format, kept.size, kept.mode) == ("PNG", (2400, 1200), "RGBA")


@pytest.mark.parametrize(
    "content", [b"%PDF-1.7 not a picture", b"", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40]
)
def test_a_file_that_is_not_a_picture_is_refused(content):
    with pytest.raises(ValidationError) as refused:
        reencode_image(io.BytesIO(content))
    assert refused.value.messages == [files.NOT_AN_IMAGE]


def test_a_picture_too_large_to_decode_safely_is_refused(monkeypatch):
    monkeypatch.setattr(files, "MAX_IMAGE_PIXELS", 100)
    output = io.BytesIO()
    Image.new("RGB", (20, 20)).save(output, "PNG")
    with pytest.raises(ValidationError) as refused:
        reencode_image(output)
    assert "画素数が大きすぎます(20×20)" in refused.value.messages[0]
