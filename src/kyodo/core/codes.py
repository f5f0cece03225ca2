"""全国地方公共団体コード (JIS X 0401 / JIS X 0402) with its check digit.

The five-digit code d1..d5 is followed by a check digit computed with weights 6,5,4,3,2:
check = (11 − (Σ dᵢ·wᵢ mod 11)) mod 10. 鹿児島市 46201 → 462012.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_WEIGHTS = (6, 5, 4, 3, 2)


def check_digit(code5: str) -> int:
    """Return the check digit of a five-digit local government code."""
    if len(code5) != 5 or not code5.isascii() or not code5.isdigit():
        raise ValueError(f"not a five-digit code: {code5!r}")
    total = sum(int(digit) * weight for digit, weight in zip(code5, _WEIGHTS, strict=True))
    return (11 - total % 11) % 10


def with_check_digit(code5: str) -> str:
    return f"{code5}{check_digit(code5)}"


def is_valid_lgcode(code: str) -> bool:
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        return False
    return check_digit(code[:5]) == int(code[5])


def validate_lgcode(value: str) -> None:
    """Model and form validator: six digits whose last is the correct check digit."""
    if len(value) != 6 or not value.isascii() or not value.isdigit():
        raise ValidationError(
            _("地方公共団体コードは半角数字6桁で入力してください(例: 鹿児島市は462012)。"),
            code="lgcode_format",
        )
    expected = check_digit(value[:5])
    if int(value[5]) != expected:
        raise ValidationError(
            _(
                "地方公共団体コード%(code)sの検査数字(6桁目)が正しくありません。"
                "先頭5桁%(code5)sの検査数字は%(expected)sです。"
            ),
            code="lgcode_check_digit",
            params={"code": value, "code5": value[:5], "expected": expected},
        )
