"""The aspects a review can talk about: a name, a description to embed, and keywords, in English and Chinese.

``DEFAULT_ASPECTS`` suits a clothing-and-general-goods shop (the ``general`` catalog;
``catalogs.py`` holds the ``clothing`` and ``electronics`` ones, chosen with
``SHOPSTREAM_ASPECT_CATALOG``). Returning or exchanging an item is an action, not an aspect
(the labelling rules in ``__init__.py``), so "exchange", 退货 and 换货 name no aspect; a
refund is customer service. A shop can replace the list with its own from a JSON or YAML
file (``load_aspects``)::

    # aspects.yaml (JSON: the same structure, {"aspects": [{...}, ...]})
    aspects:
      - name: size_fit                      # str, unique; [a-z0-9_]+
        description_en: "Size and fit ..."  # str, embedded and compared with each English clause
        description_zh: "尺码与合身 ..."      # str, optional; shown to people, not embedded (see extractor)
        keywords_en: ["runs small", "fit"]  # list[str], optional; whole words/phrases, any case;
                                            #   a hyphen or space inside matches either ("see-through")
        keywords_zh: ["尺码", "偏小"]         # list[str], optional; substrings

Every aspect needs a name and an English description; keyword lists may be
empty. YAML needs PyYAML installed (``pip install pyyaml``); JSON needs nothing.

Keywords are exact words, not stems: list the forms that matter (``fit``,
``fits``, ``fitted``). ``fitting`` is deliberately absent from ``size_fit``
because in these reviews it mostly comes in "fitting room"; the phrase
``form-fitting`` is listed instead.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

_NAME = re.compile(r"[a-z0-9_]+")


@dataclass(frozen=True)
class Aspect:
    """One aspect of a product or order that a review clause can mention."""

    name: str  # unique identifier, e.g. "size_fit"
    description_en: str  # English sentence describing the aspect; its embedding is compared with clauses
    description_zh: str  # the same in Chinese, for people (MiniLM cannot embed Chinese; see extractor)
    keywords_en: tuple[str, ...] = ()  # whole-word English phrases, matched case-insensitively
    keywords_zh: tuple[str, ...] = ()  # Chinese substrings

    def __post_init__(self) -> None:
        if not _NAME.fullmatch(self.name):
            raise ValueError(f"aspect name {self.name!r} must be lower-case letters, digits and underscores")
        if not self.description_en.strip():
            raise ValueError(f"aspect {self.name!r} needs a non-empty description_en")


DEFAULT_ASPECTS: tuple[Aspect, ...] = (
    Aspect(
        "size_fit",
        "Size and fit: whether it runs small or large, is too tight or too loose, too long or too short, "
        "and which size to order for your height and body.",
        "尺码与合身：偏大还是偏小，太紧还是太松，长短是否合适。",
        ("size", "sizes", "sized", "sizing", "fit", "fits", "fitted", "form-fitting", "runs small", "runs large",
         "runs big", "run small", "run large", "true to size", "tts", "too tight", "too loose", "too big",
         "too small", "too short", "too long", "tight", "loose", "snug", "baggy", "petite", "petites",
         "size up", "size down", "sized up", "sized down", "xxs", "xs", "xl", "length", "waist", "bust",
         "hips", "inseam", "roomy", "oversized", "lbs", "busty"),
        ("尺码", "尺寸", "码数", "号码", "偏小", "偏大", "合身", "太紧", "太松", "大小"),
    ),
    Aspect(
        "quality",
        "Fabric, material and quality: what it is made of, how thin, sheer or soft the fabric is, "
        "stitching, pilling, shrinking and how well it is made.",
        "质量与面料：材质、做工、厚薄、起球、缩水。",
        ("quality", "fabric", "fabrics", "material", "materials", "see-through", "sheer", "thin", "flimsy",
         "itchy", "scratchy", "pilled", "pilling", "pills", "cheaply made", "looks cheap", "feels cheap",
         "stitching", "seam", "seams", "fell apart", "falls apart", "lining", "lined", "unlined", "cotton",
         "polyester", "linen", "silk", "wool", "rayon", "knit", "well made", "construction", "durable",
         "wrinkle", "wrinkles", "wrinkled", "shrank", "shrunk", "shrink", "hole", "holes", "snag", "snagged",
         "transparent", "soft", "softness", "thick", "heavy", "lightweight", "light weight", "lighter weight",
         "weave", "lint", "chiffon", "denim", "corduroy", "lace", "jersey", "leather", "faux leather",
         "vegan leather", "suede"),
        ("质量", "面料", "材质", "做工", "起球", "缩水", "透明", "手感", "质感", "用料", "掉色", "皮质", "真皮"),
    ),
    Aspect(
        "colour",
        "Colour: the shade, how the colour looks in person compared with the photo, fading and which "
        "colourway was bought.",
        "颜色：色差、色彩、褪色、颜色与图片是否一致。",
        ("color", "colors", "colour", "colours", "colored", "coloured", "coloring", "shade", "shades", "hue",
         "faded", "fade", "fades", "vibrant", "muted", "pastel", "black", "white", "navy", "blue", "red",
         "green", "pink", "grey", "gray", "beige", "cream", "ivory", "coral", "yellow", "orange", "purple",
         "burgundy", "olive", "mustard", "teal"),
        ("颜色", "色差", "色彩", "褪色", "配色"),
    ),
    Aspect(
        "price_value",
        "Price and value for money: whether it is expensive or a bargain, worth the price, bought on sale.",
        "价格与性价比：贵不贵，值不值，打折优惠。",
        ("price", "prices", "priced", "pricey", "pricy", "expensive", "overpriced", "cost", "costs", "worth",
         "value", "on sale", "sale", "discount", "deal", "bargain", "full price", "money", "$", "dollars",
         "affordable", "afford", "inexpensive"),
        ("价格", "价钱", "性价比", "便宜", "太贵", "偏贵", "有点贵", "很贵", "不贵", "划算", "实惠", "不值",
         "打折", "折扣", "物美价廉", "价位"),
    ),
    Aspect(
        "delivery",
        "Delivery and shipping: how fast the order arrived, shipping cost, backorders and the courier.",
        "物流与发货：快递速度、发货、送货、到货。",
        ("shipping", "shipped", "ship", "ships", "delivery", "delivered", "deliver", "arrived", "arrival",
         "in the mail", "backordered", "back-ordered", "backorder", "back order", "courier", "tracking"),
        ("物流", "快递", "发货", "送货", "到货", "配送", "没收到", "还没收到", "邮寄", "运输"),
    ),
    Aspect(
        "customer_service",
        "Customer service: help from staff or support, their attitude, after-sales care and refunds.",
        "客服与售后：服务态度、售后、退款。",
        ("customer service", "customer care", "service", "sales associate", "salesperson", "sales associates",
         "staff", "return policy", "refund", "refunded", "support"),
        ("客服", "服务", "态度", "售后", "服务员", "退款", "前台"),
    ),
    Aspect(
        "battery",
        "Battery: battery life, how long a charge lasts and charging.",
        "电池：续航、充电、电量、待机时间。",
        ("battery", "batteries", "battery life", "charge", "charging", "charger", "recharge", "mah"),
        ("电池", "续航", "充电", "电量", "待机"),
    ),
    Aspect(
        "packaging",
        "Packaging: the box, bag or wrapping it came in and whether it arrived damaged or crumpled.",
        "包装：外包装、盒子、破损。",
        ("packaging", "package", "packaged", "packed", "box", "boxes", "wrapped", "wrapping", "tissue paper",
         "plastic bag"),
        ("包装", "外包装", "盒子", "纸盒", "封装"),
    ),
    Aspect(
        "style",
        "Style and look: the design, cut, print or pattern, and whether it is cute, flattering or "
        "beautiful when worn.",
        "款式与外观：设计、样式、好不好看。",
        ("style", "styles", "stylish", "design", "designed", "look", "looks", "looked", "cute", "pretty",
         "beautiful", "gorgeous", "flattering", "unflattering", "elegant", "chic", "classy", "sexy",
         "pattern", "print", "prints", "embroidery", "details", "detail", "silhouette", "lovely", "stunning", "cut",
         "flare", "drape", "drapes", "pleats", "pockets", "dressy", "casual", "feminine", "layering",
         "dress up", "dressed up", "dress down"),
        ("款式", "样式", "外观", "设计", "漂亮", "时尚", "造型"),
    ),
    Aspect(
        "comfort",
        "Comfort: whether it is comfortable, comfy or cozy to wear, itchy or scratchy on the skin, "
        "warm or breathable.",
        "舒适度：穿着舒服、透气、暖和。",
        ("comfortable", "comfy", "comfort", "uncomfortable", "cozy", "cosy", "itchy", "scratchy",
         "breathable", "easy to wear", "warm", "restrictive"),
        ("舒服", "舒适", "透气", "暖和"),
    ),
)


def load_aspects(path: str | Path) -> tuple[Aspect, ...]:
    """Read an aspect list from a ``.json``, ``.yaml`` or ``.yml`` file (format in the module docstring)."""
    path = Path(path)
    text = path.read_text(encoding="utf-8")
    if path.suffix.lower() == ".json":
        document = json.loads(text)
    elif path.suffix.lower() in {".yaml", ".yml"}:
        document = _read_yaml(text, path)
    else:
        raise ValueError(f"{path}: aspect files must end in .json, .yaml or .yml, not {path.suffix!r}")
    return aspects_from_dict(document, source=str(path))


def aspects_from_dict(document: Any, source: str = "<dict>") -> tuple[Aspect, ...]:
    """Build aspects from ``{"aspects": [{"name": ..., "description_en": ..., ...}, ...]}``."""
    entries = document.get("aspects") if isinstance(document, dict) else None
    if not isinstance(entries, list) or not entries:
        raise ValueError(f"{source}: expected a top-level 'aspects' list with at least one aspect")
    aspects = tuple(_aspect_from_entry(entry, source, position) for position, entry in enumerate(entries))
    names = [aspect.name for aspect in aspects]
    duplicated = sorted({name for name in names if names.count(name) > 1})
    if duplicated:
        raise ValueError(f"{source}: aspect names must be unique; repeated: {', '.join(duplicated)}")
    return aspects


_FIELDS = {"name", "description_en", "description_zh", "keywords_en", "keywords_zh"}


def _aspect_from_entry(entry: Any, source: str, position: int) -> Aspect:
    """One aspect from one mapping, with messages that name the entry at fault."""
    where = f"{source}: aspect #{position + 1}"
    if not isinstance(entry, dict):
        raise ValueError(f"{where} must be a mapping with name, description_en, ...; got {type(entry).__name__}")
    unknown = sorted(set(entry) - _FIELDS)
    if unknown:
        raise ValueError(f"{where} has unknown fields {unknown}; allowed: {sorted(_FIELDS)}")
    for field in ("name", "description_en"):
        if not isinstance(entry.get(field), str):
            raise ValueError(f"{where} needs a string {field!r}")
    keywords = {field: _strings(entry.get(field, []), f"{where} {field}") for field in ("keywords_en", "keywords_zh")}
    try:
        return Aspect(entry["name"], entry["description_en"], str(entry.get("description_zh", "")), **keywords)
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from error


def _strings(value: Any, where: str) -> tuple[str, ...]:
    """A list of non-empty strings as a tuple, or a ValueError saying what was found."""
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValueError(f"{where} must be a list of non-empty strings")
    return tuple(item.strip() for item in value)


def _read_yaml(text: str, path: Path) -> Any:
    """Parse YAML with PyYAML, which is optional: say how to install it if it is missing."""
    try:
        import yaml
    except ModuleNotFoundError as error:
        raise ModuleNotFoundError(
            f"reading {path} needs PyYAML: pip install pyyaml (or write the aspect list as JSON)"
        ) from error
    return yaml.safe_load(text)
