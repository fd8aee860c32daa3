import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from shopmodels.pii import Redaction, excerpt, redact

# Real reviews from the Women's Clothing E-Commerce Reviews dataset, chosen for their numbers:
# heights, weights, bust-waist-hip measurements, sizes, prices and years.
CLOTHING_REVIEWS = [
    "This dress is comfortable and stylish at the same time. it runs true to size. i'm 5'1\" 113 lbs and got "
    "the xs petite. wore it once so far for a few hours and got a few compliments on it!",
    "This dress is gorgeous. flattering, comfortable, and machine washable!\r\n\r\nfor reference i am 5'5 145lbs, "
    "38-30-40 and 34dd. i got the medium and it fits great!",
    "I bought this top online in the burnt orange color and was so excited to get it. i wanted something more "
    "for $150! bought the velvet tunic instead ;)",
    "I loved this top; it reminded me of one i have from retailer from circa 2008 in black and white; however, "
    "on this one, the chest area is too big, in both the 14 and 16",
    "After reading the previous reviews, i ordered a size larger. i am so glad i did it! it fits perfectly! "
    "i am 5'4\"/115/32dd and went with the s regular.",
    "Bought this dress on sale - i normally wear a 6-8 in retailer (5'6\" 135 lbs thin limbs 38-26-38). "
    "i ordered this dress in a size 4 regular",
    "I'm 5'5\" tall, 145 lbs, and 38-32-40 and the size 30s fit me perfectly.",
]


@pytest.mark.parametrize("email", [
    "jane.doe@example.com",
    "jane.doe+returns@mail.example.co.uk",
    "JOHN_SMITH-99@Sub.Shop.Example.COM",
    "li.wei%test@bar.cn",
])
def test_emails_are_redacted_and_punctuation_kept(email):
    result = redact(f"Write to <{email}>, thanks.")
    assert result == Redaction(text="Write to <[email]>, thanks.", found={"email": 1})


@pytest.mark.parametrize("phone", [
    "(415) 555-2671", "415.555.2671", "+1 415 555 2671", "1-415-555-2671", "+1 415 555 2671 ext. 89",  # US
    "020 7946 0958", "+44 20 7946 0958", "07911 123456", "+44 7911 123456",  # GB
    "030 901820", "+49 30 901820", "0151 23456789", "+49 151 23456789",  # DE
    "13812345678", "138 1234 5678", "+86 138 1234 5678", "010-65529988", "+86 10 6552 9988",  # CN
    "+33 6 12 34 56 78",  # any country with +
])
def test_phone_numbers_are_redacted(phone):
    assert redact(f"call me on {phone} after 6pm").text == "call me on [phone] after 6pm"


def test_national_numbers_of_unscanned_regions_need_their_default_region():
    text = "llámame al 612 34 56 78"
    assert redact(text).found == {}
    assert redact(text, default_region="es").text == "llámame al [phone]"


@pytest.mark.parametrize("card", ["4111 1111 1111 1111", "5500-0000-0000-0004", "378282246310005",
                                  "4111111111111111", "3782 822463 10005", "6011 0009 9013 9424"])
def test_luhn_valid_cards_are_redacted(card):
    assert redact(f"charged to {card} twice").text == "charged to [card] twice"


def test_a_card_followed_by_a_year_keeps_the_year():
    assert redact("card 4111 1111 1111 1111 2019 expired").text == "card [card] 2019 expired"


@pytest.mark.parametrize("number", ["1234 5678 9012 3456", "1234567890123456", "4111-1111-1111-1112"])
def test_long_numbers_failing_luhn_are_kept(number):
    text = f"my order {number} never arrived"
    assert redact(text) == Redaction(text=text, found={})


@pytest.mark.parametrize("text", [
    "It was $49.99, I took size 12 and bought it in 2019.",
    "ordered 3/12/2019, arrived 2019-03-15, 100% cotton, 34-26-36, 5'4\" 130 lbs",
    "call 555-1234",  # a US number without its area code is not caught
    *CLOTHING_REVIEWS,
])
def test_ordinary_review_text_is_unchanged(text):
    assert redact(text) == Redaction(text=text, found={})


def test_ibans_are_redacted_and_following_words_kept():
    text = "refund to DE89 3704 0044 0532 0130 00 PLEASE or gb82west12345698765432."
    assert redact(text) == Redaction(text="refund to [iban] PLEASE or [iban].", found={"iban": 2})
    assert redact("DE89370400440532013001 fails its check digits").found == {}


def test_mixed_chinese_and_english_text():
    assert redact("请联系我 13812345678 或 foo@bar.cn").text == "请联系我 [phone] 或 [email]"
    assert redact("请联系我13812345678或foo@bar.cn谢谢！").text == "请联系我[phone]或[email]谢谢！"
    result = redact("衣服很好看，卡号4111111111111111，电话+86 138 1234 5678。")
    assert result == Redaction(text="衣服很好看，卡号[card]，电话[phone]。", found={"card": 1, "phone": 1})


def test_counts_every_kind():
    result = redact("a@b.io, c@d.io, 4111111111111111, +1 415 555 2671, GB82 WEST 1234 5698 7654 32")
    assert result.found == {"email": 2, "iban": 1, "card": 1, "phone": 1}
    assert result.text == "[email], [email], [card], [phone], [iban]"


def test_bad_input_is_refused_with_a_reason():
    with pytest.raises(TypeError, match="str"):
        redact(None)
    with pytest.raises(ValueError, match="ISO 3166"):
        redact("hi", default_region="XX")
    with pytest.raises(ValueError, match="at least 1"):
        excerpt("hi", limit=0)


def test_short_excerpts_are_only_redacted():
    assert excerpt("Love it, mail me at jane@example.com") == "Love it, mail me at [email]"


def test_excerpt_cuts_english_at_a_word_boundary():
    text = CLOTHING_REVIEWS[0]
    cut = excerpt(text, limit=60)
    assert cut == "This dress is comfortable and stylish at the same time. it…"
    assert len(cut) <= 60


def test_excerpt_cuts_chinese_between_characters():
    text = "这件衣服非常好看，面料柔软舒适，尺码也很标准，" * 5
    cut = excerpt(text, limit=20)
    assert cut == text[:19] + "…" and len(cut) == 20


def test_excerpt_redacts_before_cutting_and_never_splits_a_token():
    text = "x" * 190 + " call +1 415 555 2671 today"
    assert excerpt(text, limit=200) == "x" * 190 + " call…"
    assert excerpt("a" * 194 + " jane@example.com", limit=200) == "a" * 194 + "…"


def test_excerpt_of_the_limit_exactly_is_kept_whole():
    assert excerpt("y" * 200) == "y" * 200
    assert excerpt("y" * 201) == "y" * 199 + "…"


# --- properties -------------------------------------------------------------------------

CONTEXT = st.text(alphabet="abcxyz ABC 0123456789 .,;:!?()$%-+'\"\n衣服很好看请联系我，。", max_size=40)
SEPARATORS = st.sampled_from([" ", "\n", " (", ") ", "，", "：", "我", ": "])
LABEL = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,8}[a-z0-9])?", fullmatch=True)


@st.composite
def emails(draw):
    local = draw(st.from_regex(r"[A-Za-z0-9](?:[A-Za-z0-9._+-]{0,15}[A-Za-z0-9])?", fullmatch=True))
    labels = draw(st.lists(LABEL, min_size=1, max_size=3))
    tld = draw(st.sampled_from(["com", "co.uk", "cn", "de", "io", "shop", "xn--fiqs8s"]))
    return f"{local}@{'.'.join(labels)}.{tld}"


@st.composite
def cards(draw):
    body = draw(st.lists(st.integers(0, 9), min_size=12, max_size=18))
    check = next(d for d in range(10) if _luhn_sum([*body, d]) % 10 == 0)
    digits = "".join(map(str, [*body, check]))
    separator = draw(st.sampled_from(["", " ", "-"]))
    return separator.join(digits[i:i + 4] for i in range(0, len(digits), 4)) if separator else digits


def _luhn_sum(digits):
    doubled = [d * 2 - 9 if d * 2 > 9 else d * 2 for d in digits[-2::-2]]
    return sum(digits[-1::-2]) + sum(doubled)


@settings(max_examples=200, deadline=None)
@given(before=CONTEXT, after=CONTEXT, pii=st.one_of(emails(), cards()), left=SEPARATORS, right=SEPARATORS)
def test_embedded_pii_never_survives_and_redaction_is_idempotent(before, after, pii, left, right):
    result = redact(before + left + pii + right + after)
    assert pii not in result.text
    assert redact(result.text).text == result.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789 -+().@abc.io衣服", max_size=60))
def test_redaction_is_idempotent_on_digit_soup(text):
    once = redact(text).text
    assert redact(once).text == once
