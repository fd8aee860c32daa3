"""The few words copy may use that no fact holds: grammar, the shop's own words, and aspect phrases.

The support check (``support.py``) lets a sentence through only when every
word in it comes from the product's facts or from these lists. They are kept
small on purpose, and every entry makes no claim about a product: grammar
("the", "with"), invitations ("discover", "add it to your cart") and the
shop's own words ("our range", "this pick"). Words that describe a property
("comfortable", "durable", "film", "toy") are never listed: a fact must hold
them. ``docs/marketing-copy.md`` has the labelling rubric these lists follow.

Chinese has no spaces between words, so ``ALLOWED_ZH`` lists whole phrases;
the check removes fact texts and these phrases from a sentence and calls
whatever Chinese is left unsupported.
"""

from __future__ import annotations

#: English grammar words: articles, pronouns, prepositions, conjunctions, auxiliaries.
FUNCTION_WORDS = frozenset("""
    a an the this that these those it its it's they their them you your yours we our ours us
    and or but nor so as at by for from in into of on onto to with within without about over under through
    is are was be been being has have had do does can will would may might must shall should
    here there what which who whom whose when where why how all both each every any some no not
    also too very more most just only than then one s
    """.split())

#: Shop words that make no claim about the product: invitations, the shop's own nouns, neutral praise.
SHOP_WORDS = frozenset("""
    discover meet explore enjoy choose find add shop browse see take get pick picks look
    cart basket today now range collection selection catalog catalogue line store
    part join joins great good nice fine favourite favorite choice option
    priced price costs cost reviewers reviewer shoppers shopper buyers buyer customers customer praise praises
    love loves like likes say says
    """.split())
# Not listed, after the first measured round (docs/marketing-copy.md): "brand", "named", "called",
# "kind", "type", "genre", "category". Constrained SmolLM2 used them to invent ("a brand of
# dresses", "named by the Jeans Brand"); a fact that holds them still allows them.

#: How the praised aspect names of ``shopmodels.aspects`` read in copy, by language.
ASPECT_PHRASES = {
    "en": {"size_fit": "fit", "quality": "quality", "colour": "colour", "price_value": "value for money",
           "delivery": "delivery", "customer_service": "customer service", "battery": "battery",
           "packaging": "packaging", "style": "style", "comfort": "comfort"},
    "zh": {"size_fit": "尺码合身", "quality": "质量", "colour": "颜色", "price_value": "性价比",
           "delivery": "物流", "customer_service": "客服", "battery": "电池", "packaging": "包装",
           "style": "款式", "comfort": "舒适度"},
}

#: Chinese phrases that make no claim: grammar, invitations, the shop's own words (longest matched first).
ALLOWED_ZH = tuple(sorted(set("""
    为您推荐 推荐 欢迎选购 欢迎 选购 发现 来自 出品 品牌 类别 属于 系列 商品 本店 我们的 我们 这款 此款 款
    售价 价格 仅售 买家 顾客 评价 称赞 好评 喜欢 赞赏 它的 它 其 的 和 与 及 是 为 在 有 也 都 之 一 款式名
    类 中 里 精选 今天 现在 就 加入购物车 购物车 加入 看看 挑选 选择 好物
    """.split()), key=len, reverse=True))


def aspect_phrase(aspect: str, language: str) -> str:
    """How an aspect name reads in copy: ``size_fit`` -> "fit" / "尺码合身"; unknown names lose underscores."""
    phrases = ASPECT_PHRASES.get(language, ASPECT_PHRASES["en"])
    return phrases.get(aspect, aspect.replace("_", " "))


def is_allowed_english(word: str) -> bool:
    """Whether a lower-case English word is free of claims (``FUNCTION_WORDS`` or ``SHOP_WORDS``)."""
    return word in FUNCTION_WORDS or word in SHOP_WORDS
