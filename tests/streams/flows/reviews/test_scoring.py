"""The review service reads aspects from the catalog the settings name."""

from shopmodels.aspects.catalogs import ELECTRONICS_ASPECTS
from streams.flows.reviews.scoring import _load_extractor_and_detector
from streams.settings import get_settings


def test_the_extractor_uses_the_configured_catalog():
    settings = get_settings().model_copy(update={"aspect_catalog": "electronics", "inference_device": "cpu"})
    extractor, _ = _load_extractor_and_detector(settings)
    assert extractor.aspects == ELECTRONICS_ASPECTS
    [mentions] = extractor.extract(["The screen is too dim and the battery dies by noon."])
    assert {mention.aspect for mention in mentions} == {"screen", "battery"}
