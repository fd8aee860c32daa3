"""The aspect catalogs a shop chooses between (``SHOPSTREAM_ASPECT_CATALOG``), by what it sells.

    general      clothing and general goods: the 10 aspects of ``catalog.DEFAULT_ASPECTS``
                 (the default, and what ShopStream used before catalogs existed)
    clothing     the same without battery: size_fit, quality (fabric and material), colour,
                 price_value, delivery, customer_service, packaging, style, comfort
    electronics  screen, battery, performance, camera, sound, connectivity, software, quality
                 (build and durability), design, price_value, delivery, customer_service, packaging

The order-level aspects (price_value, delivery, customer_service, packaging) are the same
objects in every catalog. A value that is not a catalog name is read as the path of a shop's
own JSON or YAML list (``catalog.load_aspects``). The electronics keywords were written before
its labelled clauses (``tests/shopmodels/aspects/data/electronics_labels.jsonl``) and were not
changed after measuring on them.
"""

from __future__ import annotations

from pathlib import Path

from shopmodels.aspects.catalog import DEFAULT_ASPECTS, Aspect, load_aspects

_BY_NAME = {aspect.name: aspect for aspect in DEFAULT_ASPECTS}
_ORDER_ASPECTS = tuple(_BY_NAME[name] for name in ("price_value", "delivery", "customer_service", "packaging"))

ELECTRONICS_ASPECTS: tuple[Aspect, ...] = (
    Aspect(
        "screen",
        "Screen and display: brightness, resolution, sharpness, colours on the screen, touch response, "
        "glare and dead pixels.",
        "屏幕与显示：亮度、分辨率、清晰度、触控、反光、坏点。",
        ("screen", "screens", "display", "displays", "touchscreen", "touch screen", "brightness", "resolution",
         "pixel", "pixels", "dead pixel", "glare", "oled", "lcd", "amoled", "refresh rate", "120hz", "viewing angle",
         "viewing angles", "backlight", "backlit", "dim", "sharp", "crisp"),
        ("屏幕", "屏", "显示", "分辨率", "亮度", "触屏", "触控", "坏点", "刷新率", "反光", "清晰"),
    ),
    Aspect(
        "battery",
        "Battery: battery life, how long a charge lasts, how fast it drains and how it charges.",
        "电池：续航、充电、电量、待机时间、耗电。",
        ("battery", "batteries", "battery life", "charge", "charges", "charging", "charged", "charger",
         "recharge", "mah", "drains", "drain", "draining", "standby", "power bank"),
        ("电池", "续航", "充电", "电量", "待机", "耗电", "掉电", "充电器"),
    ),
    Aspect(
        "performance",
        "Performance and speed: how fast it runs, lag, freezing, crashes, overheating, the processor and memory.",
        "性能与速度：运行速度、流畅、卡顿、死机、发热、处理器、内存。",
        ("performance", "slow", "slower", "sluggish", "speed", "speedy", "lag", "lags", "laggy", "lagging",
         "freeze", "freezes", "froze", "freezing", "crash", "crashes", "crashed", "smooth", "snappy",
         "responsive", "unresponsive", "processor", "cpu", "gpu", "ram", "overheats", "overheating", "overheat",
         "gets hot", "runs hot", "heats up", "stutter", "stutters", "boots", "multitasking", "gaming"),
        ("性能", "速度", "流畅", "卡顿", "很卡", "有点卡", "太卡", "卡死", "死机", "反应慢", "运行", "处理器", "内存",
         "发热", "发烫", "很烫", "配置", "游戏"),
    ),
    Aspect(
        "camera",
        "Camera: photo and video quality, the lens, zoom, focus, selfies and pictures in low light.",
        "摄像头：拍照、录像、像素、镜头、对焦、夜拍。",
        ("camera", "cameras", "photo", "photos", "picture", "pictures", "pics", "selfie", "selfies", "lens",
         "zoom", "video", "videos", "megapixel", "megapixels", "night mode", "low light", "focus", "autofocus"),
        ("摄像头", "相机", "拍照", "拍摄", "照片", "像素", "镜头", "录像", "自拍", "对焦", "夜拍"),
    ),
    Aspect(
        "sound",
        "Sound: audio quality, speakers and volume, bass, noise cancelling, the microphone and call quality.",
        "声音：音质、音量、喇叭、低音、降噪、麦克风、通话。",
        ("sound", "sounds", "audio", "speaker", "speakers", "volume", "bass", "treble", "loud", "louder",
         "noise", "noisy", "noise cancelling", "noise canceling", "anc", "microphone", "mic", "call quality",
         "hiss", "tinny", "muffled"),
        ("音质", "声音", "音量", "喇叭", "扬声器", "低音", "高音", "噪音", "杂音", "降噪", "麦克风", "通话", "外放"),
    ),
    Aspect(
        "connectivity",
        "Connectivity: Wi-Fi, Bluetooth pairing, mobile signal and reception, ports and cables, connections "
        "that drop.",
        "连接：信号、蓝牙配对、无线网络、接口、断线。",
        ("connectivity", "connection", "connections", "connect", "connects", "connected", "connecting",
         "disconnect", "disconnects", "disconnecting", "disconnected", "wifi", "wi-fi", "bluetooth", "pairing",
         "pair", "paired", "signal", "reception", "network", "5g", "4g", "lte", "nfc", "usb", "usb-c", "port",
         "ports", "hdmi", "cable", "cables", "drops out", "dropouts"),
        ("信号", "连接", "蓝牙", "网络", "无线", "wifi", "WiFi", "WIFI", "断线", "断开", "掉线", "配对", "接口",
         "数据线", "热点", "4G", "5G"),
    ),
    Aspect(
        "software",
        "Software and ease of use: the operating system, the app, setup, updates, settings, bugs and glitches.",
        "软件与易用：系统、应用、设置、更新、界面、操作、漏洞。",
        ("software", "app", "apps", "update", "updates", "updated", "firmware", "setup", "set up", "interface",
         "settings", "bug", "bugs", "buggy", "glitch", "glitches", "glitchy", "easy to use", "user-friendly",
         "user friendly", "intuitive", "bloatware", "android", "ios", "windows", "os"),
        ("系统", "软件", "应用", "更新", "升级", "设置", "界面", "操作", "固件", "驱动"),
    ),
    Aspect(
        "quality",
        "Build quality and durability: materials, how solid or flimsy it feels, and whether it broke, cracked "
        "or stopped working.",
        "做工与耐用：材质、结实、损坏、故障、裂开。",
        ("quality", "build quality", "well built", "well made", "cheaply made", "sturdy", "solid", "flimsy",
         "plastic", "plasticky", "metal", "aluminum", "aluminium", "durable", "durability", "broke", "broken",
         "breaks", "cracked", "crack", "defective", "faulty", "stopped working", "dead on arrival", "doa",
         "scratches", "scratched", "hinge", "buttons", "button"),
        ("质量", "做工", "材质", "用料", "手感", "质感", "坏了", "损坏", "故障", "裂", "划痕", "结实", "耐用", "塑料",
         "金属", "按键"),
    ),
    Aspect(
        "design",
        "Design and look: how it looks, its colour and finish, how thin, light, compact or bulky it is.",
        "外观与设计：颜值、颜色、轻薄、小巧、重量。",
        ("design", "designed", "look", "looks", "looked", "sleek", "stylish", "beautiful", "pretty", "ugly",
         "elegant", "color", "colour", "finish", "slim", "bulky", "lightweight", "light weight", "compact",
         "weight", "heavy", "thin"),
        ("外观", "设计", "颜值", "漂亮", "好看", "颜色", "轻薄", "重量", "小巧", "厚重", "轻便"),
    ),
    *_ORDER_ASPECTS,
)

CATALOGS: dict[str, tuple[Aspect, ...]] = {
    "general": DEFAULT_ASPECTS,
    "clothing": tuple(aspect for aspect in DEFAULT_ASPECTS if aspect.name != "battery"),
    "electronics": ELECTRONICS_ASPECTS,
}
CATALOG_NAMES = tuple(CATALOGS)


def aspect_catalog(value: str) -> tuple[Aspect, ...]:
    """The aspects of catalog ``value`` (a name in ``CATALOGS``), or of the shop's JSON/YAML file at that path."""
    if value in CATALOGS:
        return CATALOGS[value]
    if Path(value).suffix.lower() in {".json", ".yaml", ".yml"}:
        return load_aspects(value)
    raise ValueError(f"Unknown aspect catalog {value!r}: use {', '.join(CATALOG_NAMES)} or the path of a .json, "
                     ".yaml or .yml aspect list.")
