"""KeywordMatcher: whole words in English, substrings in Chinese."""

import pytest

from shopmodels.aspects.catalog import DEFAULT_ASPECTS, Aspect
from shopmodels.aspects.keywords import KeywordMatcher


@pytest.fixture(scope="module")
def matcher() -> KeywordMatcher:
    return KeywordMatcher(DEFAULT_ASPECTS)


@pytest.mark.parametrize(
    ("clause", "aspects"),
    [
        ("It FITS perfectly", {"size_fit"}),
        ("I tried it on in the fitting room", set()),  # "fitting" is not a size_fit keyword
        ("What a great outfit", set()),  # "fit" only as a whole word
        ("It is form-fitting", {"size_fit"}),
        ("runs  small", {"size_fit"}),  # any run of spaces inside a phrase
        ("Totally see through", {"quality"}),  # "see-through" matches with a space too
        ("Paid $60 for it", {"price_value"}),  # a symbol keyword needs no word boundary
        ("A boxy shape", set()),  # "box" is packaging, "boxy" is not
        ("The battery life is short", {"battery"}),
        ("Itchy wool", {"quality", "comfort"}),  # one keyword can belong to two aspects
    ],
)
def test_english_keywords_match_whole_words_in_any_case(matcher: KeywordMatcher, clause: str, aspects: set) -> None:
    assert set(matcher.match(clause)) == aspects


@pytest.mark.parametrize(
    ("clause", "aspects"),
    [
        ("尺码偏小", {"size_fit"}),
        ("颜色有色差", {"colour"}),
        ("性价比很高", {"price_value"}),
        ("物流很快，快递小哥服务好", {"delivery", "customer_service"}),
        ("电池续航一般", {"battery"}),
        ("包装破了", {"packaging"}),
        ("这本书写得很好", set()),
    ],
)
def test_chinese_keywords_match_as_substrings(matcher: KeywordMatcher, clause: str, aspects: set) -> None:
    assert set(matcher.match(clause)) == aspects


def test_a_match_reports_the_text_as_written_and_the_longest_phrase(matcher: KeywordMatcher) -> None:
    assert matcher.match("Great Battery Life") == {"battery": "Battery Life"}


def test_an_english_clause_is_not_matched_by_chinese_keywords_or_the_reverse() -> None:
    aspect = Aspect("colour", "Colour.", "颜色", keywords_en=("color",), keywords_zh=("颜色",))
    matcher = KeywordMatcher([aspect])

    assert matcher.match("color") == {"colour": "color"}
    assert matcher.match("颜色 color") == {"colour": "颜色"}
    assert matcher.match("colour") == {}
