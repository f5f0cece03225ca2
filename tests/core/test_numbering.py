import pytest
from hypothesis import given
from hypothesis import strategies as st

from kyodo.core.numbering import outline_label


@pytest.mark.parametrize(
    ("depth", "index", "label"),
    [
        (0, 1, "1."),
        (0, 12, "12."),
        (1, 3, "(3)"),
        (2, 1, "ア"),
        (2, 3, "ウ"),
        (2, 6, "カ"),
        (3, 2, "(イ)"),
        (4, 1, "a"),
        (5, 2, "(b)"),
    ],
)
def test_official_outline_labels(depth: int, index: int, label: str) -> None:
    assert outline_label(depth, index) == label


def test_katakana_run_out_is_an_error_not_a_wrong_label() -> None:
    with pytest.raises(ValueError, match="no label"):
        outline_label(2, 47)


@given(st.integers(0, 5), st.integers(1, 26))
def test_labels_at_one_level_are_all_different(depth: int, count: int) -> None:
    labels = [outline_label(depth, i) for i in range(1, count + 1)]
    assert len(set(labels)) == count
