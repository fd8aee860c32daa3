"""The default aspect list and loading a shop's own list from JSON or YAML."""

import json
from pathlib import Path

import pytest

from shopmodels.aspects.catalog import DEFAULT_ASPECTS, Aspect, aspects_from_dict, load_aspects

_SHOP = {
    "aspects": [
        {"name": "scent", "description_en": "How it smells.", "description_zh": "气味",
         "keywords_en": ["smell", "scent"], "keywords_zh": ["味道"]},
        {"name": "size_fit", "description_en": "Size and fit."},
    ]
}


def test_default_aspects_have_unique_names_and_keywords_in_both_languages() -> None:
    names = [aspect.name for aspect in DEFAULT_ASPECTS]
    assert len(names) == len(set(names))
    assert {"size_fit", "quality", "colour", "price_value", "delivery", "customer_service", "battery",
            "packaging", "style", "comfort"} == set(names)
    assert all(aspect.keywords_en and aspect.keywords_zh and aspect.description_zh for aspect in DEFAULT_ASPECTS)


def test_a_json_aspect_file_loads_in_order_with_defaults_for_missing_fields(tmp_path: Path) -> None:
    path = tmp_path / "aspects.json"
    path.write_text(json.dumps(_SHOP, ensure_ascii=False), encoding="utf-8")

    scent, size = load_aspects(path)

    assert scent == Aspect("scent", "How it smells.", "气味", ("smell", "scent"), ("味道",))
    assert size == Aspect("size_fit", "Size and fit.", "", (), ())


def test_a_yaml_aspect_file_loads_like_json(tmp_path: Path) -> None:
    path = tmp_path / "aspects.yaml"
    path.write_text(
        "aspects:\n"
        "  - name: scent\n"
        "    description_en: How it smells.\n"
        "    description_zh: 气味\n"
        "    keywords_en: [smell, scent]\n"
        "    keywords_zh: [味道]\n"
        "  - name: size_fit\n"
        "    description_en: Size and fit.\n",
        encoding="utf-8",
    )

    assert load_aspects(path) == aspects_from_dict(_SHOP)


@pytest.mark.parametrize(
    ("document", "message"),
    [
        ({}, "top-level 'aspects' list"),
        ({"aspects": []}, "top-level 'aspects' list"),
        ({"aspects": ["size"]}, r"aspect #1 must be a mapping"),
        ({"aspects": [{"name": "size"}]}, r"aspect #1 needs a string 'description_en'"),
        ({"aspects": [{"name": "Size Fit", "description_en": "x"}]}, "lower-case letters"),
        ({"aspects": [{"name": "a", "description_en": "x", "keywords": ["y"]}]}, "unknown fields"),
        ({"aspects": [{"name": "a", "description_en": "x", "keywords_en": "fit"}]}, "list of non-empty strings"),
        ({"aspects": [{"name": "a", "description_en": "x"}, {"name": "a", "description_en": "y"}]}, "repeated: a"),
    ],
)
def test_a_bad_aspect_list_is_refused_with_a_message_naming_the_problem(document: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        aspects_from_dict(document, source="shop.yaml")


def test_an_unknown_file_type_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "aspects.txt"
    path.write_text("size_fit", encoding="utf-8")

    with pytest.raises(ValueError, match=r"\.json, \.yaml or \.yml"):
        load_aspects(path)
