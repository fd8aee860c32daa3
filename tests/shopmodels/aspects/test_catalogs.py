"""The catalogs a shop chooses between, the setting that chooses, and the keyword fixes of issue 17."""

import json

import pytest
from pydantic import ValidationError

from shopmodels.aspects.catalogs import CATALOGS, ELECTRONICS_ASPECTS, aspect_catalog
from shopmodels.aspects.keywords import KeywordMatcher
from streams.settings import Settings


def test_every_catalog_has_unique_names_keywords_in_both_languages_and_the_order_aspects():
    for name, aspects in CATALOGS.items():
        names = [aspect.name for aspect in aspects]
        assert len(names) == len(set(names)), name
        assert {"price_value", "delivery", "customer_service", "packaging"} <= set(names), name
        assert all(aspect.keywords_en and aspect.keywords_zh and aspect.description_zh for aspect in aspects), name
    assert "battery" not in {aspect.name for aspect in CATALOGS["clothing"]}


@pytest.mark.parametrize("clause, aspects", [
    ("The screen scratches way too easily", {"screen", "quality"}),
    ("Display is dim and washed out", {"screen"}),
    ("Battery life is terrible", {"battery"}),
    ("It lags when I open the camera", {"performance", "camera"}),
    ("Bluetooth keeps dropping", {"connectivity"}),
    ("屏幕太暗了", {"screen"}),
    ("电池续航太短", {"battery"}),
    ("拍照很清楚", {"camera"}),
])
def test_electronics_keywords_find_screen_battery_performance_camera_and_connectivity(clause, aspects):
    assert set(KeywordMatcher(ELECTRONICS_ASPECTS).match(clause)) == aspects


@pytest.mark.parametrize("catalog", ["general", "clothing"])
def test_leather_is_material_and_returning_is_no_customer_service(catalog):
    matcher = KeywordMatcher(CATALOGS[catalog])
    assert set(matcher.match("The faux leather is peeling already")) == {"quality"}
    assert "customer_service" not in matcher.match("已经申请退货了")
    assert "customer_service" not in matcher.match("想换货")
    assert "customer_service" not in matcher.match("will exchange it for a smaller size")
    assert set(matcher.match("客服帮我办好了退货")) == {"customer_service"}  # the staff, not the return


def test_a_catalog_is_chosen_by_name_or_read_from_a_file(tmp_path):
    assert aspect_catalog("electronics") is ELECTRONICS_ASPECTS
    path = tmp_path / "shop.json"
    path.write_text(json.dumps({"aspects": [{"name": "scent", "description_en": "How it smells."}]}))
    assert [aspect.name for aspect in aspect_catalog(str(path))] == ["scent"]
    with pytest.raises(ValueError, match="electronics"):
        aspect_catalog("furniture")


def test_the_setting_names_a_catalog(monkeypatch):
    assert Settings().aspect_catalog == "general"
    monkeypatch.setenv("SHOPSTREAM_ASPECT_CATALOG", "electronics")
    assert Settings().aspect_catalog == "electronics"
    monkeypatch.setenv("SHOPSTREAM_ASPECT_CATALOG", "furniture")
    with pytest.raises(ValidationError, match="unknown aspect catalog"):
        Settings()
