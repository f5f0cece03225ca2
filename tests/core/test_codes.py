import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from kyodo.core.codes import check_digit, is_valid_lgcode, validate_lgcode, with_check_digit


@pytest.mark.parametrize(
    ("code5", "expected"),
    [
        ("46201", "462012"),  # 鹿児島市: remainder 9
        ("46208", "462080"),  # 出水市: remainder 1 gives 10, written 0
        ("46216", "462161"),  # 日置市: remainder 0 gives 11, written 1
        ("46000", "460001"),  # 鹿児島県
    ],
)
def test_check_digit_matches_published_codes(code5: str, expected: str) -> None:
    assert with_check_digit(code5) == expected
    assert is_valid_lgcode(expected)


def test_wrong_check_digit_is_refused_with_the_expected_digit_named() -> None:
    with pytest.raises(ValidationError) as error:
        validate_lgcode("462013")
    assert error.value.code == "lgcode_check_digit"
    message = error.value.messages[0]
    assert "検査数字" in message
    assert "462013" in message
    assert "2です" in message


@pytest.mark.parametrize("value", ["46201", "4620120", "46201a", "４６２０１２", ""])
def test_malformed_code_is_refused_as_a_format_error(value: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_lgcode(value)
    assert error.value.code == "lgcode_format"


def test_check_digit_rejects_anything_but_five_ascii_digits() -> None:
    with pytest.raises(ValueError, match="five-digit"):
        check_digit("４６２０１")


five_digits = st.text(alphabet="0123456789", min_size=5, max_size=5)


@given(five_digits)
def test_every_code_with_its_own_check_digit_is_valid(code5: str) -> None:
    code = with_check_digit(code5)
    assert is_valid_lgcode(code)
    validate_lgcode(code)


@given(five_digits, st.integers(min_value=1, max_value=9))
def test_any_other_last_digit_is_invalid(code5: str, shift: int) -> None:
    code = with_check_digit(code5)
    wrong = code[:5] + str((int(code[5]) + shift) % 10)
    assert not is_valid_lgcode(wrong)
