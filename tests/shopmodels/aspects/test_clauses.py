"""split_clauses on English and Chinese reviews, including real ones from the labelled set."""

import pytest

from shopmodels.aspects.clauses import is_chinese, split_clauses


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        ("Love it! Runs small. Size up?", ["Love it!", "Runs small.", "Size up?"]),
        ("Cute top but the fabric is itchy", ["Cute top", "the fabric is itchy"]),
        ("Cute top, but the fabric is itchy.", ["Cute top", "the fabric is itchy."]),
        ("Soft; however, it pilled after one wash.", ["Soft", "it pilled after one wash."]),
        ("Pretty colour, however the fit is off", ["Pretty colour", "the fit is off"]),
        ("Great dress. But the zipper broke.", ["Great dress.", "the zipper broke."]),
        ("Line one\nline two", ["Line one", "line two"]),
        ("Sizing runs small.The fabric is soft", ["Sizing runs small.", "The fabric is soft"]),
    ],
)
def test_english_splits_at_sentence_ends_semicolons_and_contrast_words(text: str, clauses: list[str]) -> None:
    assert split_clauses(text) == clauses


@pytest.mark.parametrize(
    "text",
    [
        "It is anything but comfortable.",
        "Nothing but compliments.",
        "Not only cute but also warm.",
        "The hem is 5.5 inches long.",
        "A rebuttal from the butcher.",
    ],
)
def test_english_keeps_clauses_whose_meaning_a_split_would_change(text: str) -> None:
    assert split_clauses(text) == [text]


def test_the_parenthetical_however_is_split_as_documented() -> None:
    assert split_clauses("The colour, however, is off.") == ["The colour", "is off."]


@pytest.mark.parametrize(
    ("text", "clauses"),
    [
        ("质量很好，但是颜色有色差。物流很快！", ["质量很好", "颜色有色差", "物流很快"]),
        ("面料舒服不过偏小", ["面料舒服", "偏小"]),
        ("包装不错；客服态度好？", ["包装不错", "客服态度好"]),
        ("宝宝一岁七个月,不是太喜欢,也许是因为色彩不够鲜艳.", ["宝宝一岁七个月", "不是太喜欢", "也许是因为色彩不够鲜艳"]),
        ("屏幕5.5寸,价格1,000元", ["屏幕5.5寸", "价格1,000元"]),
        ("词、字搭配得很别扭", ["词、字搭配得很别扭"]),
        ("再合适不过了，只不过有点贵", ["再合适不过了", "只不过有点贵"]),
        ("1.外观好 2.续航长", ["外观好", "续航长"]),
    ],
)
def test_chinese_splits_at_punctuation_and_contrast_words(text: str, clauses: list[str]) -> None:
    assert split_clauses(text) == clauses


@pytest.mark.parametrize("text", ["", "   ", "...", "!!! :)", "，。"])
def test_text_without_words_has_no_clauses(text: str) -> None:
    assert split_clauses(text) == []


def test_language_is_chosen_by_the_presence_of_chinese_characters() -> None:
    assert is_chinese("价格OK") and is_chinese("安靜不擾人")
    assert not is_chinese("Great price, 5 stars")


def test_every_labelled_clause_is_one_clause_by_the_splitter(labelled) -> None:
    """The labelled clauses came from split_clauses; splitting one again changes nothing."""
    assert all(split_clauses(item.clause) == [item.clause] for item in labelled)


def test_chinese_list_numbers_are_dropped() -> None:
    assert split_clauses("1、外观好 2、续航长 3：没送鼠标") == ["外观好", "续航长", "没送鼠标"]
    assert split_clauses("每分钟2元") == ["每分钟2元"]
