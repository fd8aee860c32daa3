"""The support check on what the issue found published, on faithful copy, and on Chinese copy."""

from shopmodels.copywriter.facts import ProductFacts
from shopmodels.copywriter.guardrails import check_support
from shopmodels.copywriter.support import sentence_verdicts, split_sentences, unsupported

BABE = ProductFacts.from_record({"product_id": "ml-1", "title": "Babe (1995)", "category": "Children's",
                                 "attributes": {"genres": "Children's, Comedy, Drama", "year": "1995"}})
MONKEYS = ProductFacts.from_record({"product_id": "ml-7", "title": "Twelve Monkeys (1995)", "category": "Drama",
                                    "attributes": {"genres": "Drama, Sci-Fi", "year": "1995"}})
CHINESE_PHONE = ProductFacts.from_record(
    {"product_id": "cn-nova", "title": "星辰X5手机", "category": "手机", "brand": "极光", "price": 1999.0,
     "currency": "CNY", "language": "zh", "attributes": {"处理器": "新一代八核", "屏幕": "高清屏"}},
    praised=["battery"])


def test_what_the_issue_found_published_is_refused_with_the_invented_words():
    babe = check_support("Babe (1995) is a delightful and beloved child-friendly toy designed to entertain children "
                         "of all ages with its adorable face-painting abilities.", BABE)
    assert not babe.passed and "toy" in babe.detail and "beloved" in babe.detail
    plot = ("Twelve Monkeys (1995) is a film about a group of characters who have to survive on their own after "
            "they've been taken over by a monster.")
    assert not check_support(plot, MONKEYS).passed
    assert {"film", "characters", "survive", "monster"} <= set(unsupported(plot, MONKEYS))


def test_sentences_built_from_the_facts_pass_inflections_and_all():
    text = "Discover Babe (1995) in our Children's range. Its genres are Children's, Comedy and Drama."
    assert check_support(text, BABE).passed
    assert check_support("Twelve Monkeys (1995): a drama, from 1995.", MONKEYS).passed  # "drama" names the genre


def test_only_the_failing_sentence_is_named():
    verdicts = sentence_verdicts("Discover Babe (1995) in our Comedy range. It won 3 awards.", BABE)
    assert verdicts == [("Discover Babe (1995) in our Comedy range.", []), ("It won 3 awards.", ["won", "awards", "3"])]


def test_praised_aspects_are_supported_as_they_read_not_as_their_ids():
    dress = ProductFacts.from_record({"product_id": "wc-1", "title": "Dresses 1", "category": "Dresses"},
                                     praised=["size_fit", "price_value"])
    assert check_support("Reviewers praise the fit and value for money of Dresses 1.", dress).passed
    assert not check_support("Reviewers praise the fit and the soft fabric of Dresses 1.", dress).passed


def test_a_decimal_point_does_not_end_a_sentence():
    assert split_sentences("Yours for 129.95 EUR. Add it today!") == ["Yours for 129.95 EUR.", "Add it today!"]
    assert split_sentences("售价1999元。欢迎选购！") == ["售价1999元。", "欢迎选购！"]


def test_chinese_copy_is_held_to_the_facts_too():
    assert check_support("为您推荐星辰X5手机，极光出品。屏幕：高清屏。买家称赞它的电池。售价1999 CNY。", CHINESE_PHONE).passed
    invented = check_support("星辰X5手机防水，适合儿童。售价999 CNY。", CHINESE_PHONE)
    assert not invented.passed and "防水" in invented.detail and "999" in invented.detail
    assert "适合儿童" in invented.detail


def test_a_sentence_cut_off_before_its_end_is_not_supported():
    assert sentence_verdicts("Discover Babe (1995) in our Comedy range. Its genres are", BABE)[1] == \
        ("Its genres are", ["(unfinished)"])
    assert check_support("为您推荐星辰X5手机，极光出品。处理器：新一代八核；屏幕：高清屏。", CHINESE_PHONE).passed


def test_words_that_claim_a_brand_or_a_kind_need_a_fact():
    assert not check_support("Babe (1995) is a brand of Comedy.", BABE).passed
    branded = ProductFacts.from_record({"product_id": "x", "title": "Nova", "category": "Phones", "brand": "Aurora",
                                        "attributes": {"brand line": "Aurora Nova"}})
    assert check_support("Nova is part of the Aurora brand line.", branded).passed
