"""Every guardrail as a pure function: real-looking copy that passes, and copy that must not go live."""

import pytest

from schemas.results import CopyCheck
from shopmodels.copywriter.facts import ProductFacts
from shopmodels.copywriter.guardrails import (LengthLimits, check_brands, check_length, check_mentions_product,
                                              check_no_pii, check_numbers, check_profanity, review_copy, tidy_copy,
                                              trim_to_sentence)

from .conftest import PHONE

GOOD_PHONE_COPY = ("Meet the Aurora Nova X5 from our Smartphones range. Its latest-generation processor, HD screen "
                   "and long battery life are yours for 499 EUR.")
GOOD_SHOE_COPY = ("The Northpeak TrailRunner 3 GTX: running shoes in blue, with a weight of 280 g and an 8 mm drop. "
                  "Yours for 129.95 EUR.")
# What a small model writes for the phone: puffery the facts never state (apps, photos, a day's use).
PUFFED_PHONE_COPY = ("Meet the Aurora Nova X5, your ideal companion for work and play. Its latest-generation "
                     "processor keeps every app smooth, the HD screen makes photos shine, and a long battery life "
                     "carries you through the day, all for 499 EUR.")


def test_good_copy_passes_every_check_and_is_published(phone, trail_shoe):
    for text, facts in ((GOOD_PHONE_COPY, phone), (GOOD_SHOE_COPY, trail_shoe)):
        review = review_copy(text, facts)
        assert review.published and review.failed == [] and review.text == text
        assert [c.name for c in review.checks] == ["length", "mentions_product", "no_pii", "grounded_numbers",
                                                   "grounded_brands", "no_profanity", "supported_sentences"]
        for check in review.checks:  # each result is a valid CopyCheck
            CopyCheck(**check.to_dict())


def test_claims_the_facts_do_not_state_are_refused_sentence_by_sentence(phone):
    review = review_copy(PUFFED_PHONE_COPY, phone)
    assert not review.published and review.failed == ["supported_sentences"]
    assert review.checks[-1].detail.startswith("2 of 2 sentences say what the facts do not: 'Meet the Aurora Nova "
                                               "X5, your ideal companion for work and …': ideal, companion, work, play; ")


def test_a_failed_check_stops_publishing_and_says_why(phone):
    review = review_copy("Nova X5 by Aurora: 5G, 128 GB and a 6.7-inch screen for 499 EUR. A great phone.", phone)
    assert not review.published and review.failed == ["grounded_numbers", "supported_sentences"]
    # 5 is a number of the facts (Nova X5): numbers are compared, not what they count.
    assert review.checks[3].detail == "numbers not in the facts: 128, 6.7"


@pytest.mark.parametrize(("text", "passed", "detail"), [
    ("Nova X5: a phone.", False, "17 characters, fewer than the 40 required"),
    (GOOD_PHONE_COPY, True, f"{len(GOOD_PHONE_COPY)} characters"),
    ("A" * 700, False, "700 characters, more than 600, and no sentence end to cut at within the limit"),
])
def test_length_bounds(text, passed, detail):
    assert check_length(text, LengthLimits()) == check_length(text, LengthLimits(40, 600))
    result = check_length(text, LengthLimits())
    assert (result.passed, result.detail) == (passed, detail)


def test_long_copy_is_trimmed_to_a_sentence_end_within_the_limit(phone):
    long_copy = GOOD_PHONE_COPY + " " + "It is built for people on the move. " * 20
    review = review_copy(long_copy, phone, LengthLimits(max_chars=300))
    assert len(review.text) <= 300 and review.text.endswith(".") and review.checks[0].passed
    assert trim_to_sentence("Costs 129.95 EUR. Light and blue", 40) == "Costs 129.95 EUR."  # not at "129."


def test_tidying_unwraps_quotes_and_drops_an_unfinished_sentence():
    raw = '"The Northpeak TrailRunner 3 GTX is a top-tier running shoe.\n\nIt offers unparalleled grip and a'
    assert tidy_copy(raw, 600, finished=False) == "The Northpeak TrailRunner 3 GTX is a top-tier running shoe."
    assert tidy_copy(raw, 600, finished=True).endswith("grip and a")  # the model ended there itself
    assert tidy_copy('"Say "hello" to it."', 600) == '"Say "hello" to it."'  # inner quotes: left alone


def test_copy_about_something_else_is_caught(phone, replay_catalog):
    drifted = "Bitter lemon bars made with edible flowers! Fantastic stuff that nobody has ever heard of before."
    result = check_mentions_product(drifted, phone)
    assert not result.passed and result.detail == "does not name the title 'Nova X5' or the brand 'Aurora'"
    dress = replay_catalog[1]  # "Dresses 1078": a dress is named by an inflection of the title
    assert check_mentions_product("A classic dress with a flattering fit.", dress).passed
    assert check_mentions_product("The Aurora phone lasts all day.", phone).passed


@pytest.mark.parametrize(("text", "detail"), [
    ("Questions? Write to jane.doe@example.com before you order the Nova X5.", "found 1 email"),
    ("Call +44 20 7946 0958 to reserve your Nova X5 today.", "found 1 phone"),
    ("Pay with card 4111 1111 1111 1111 and get the Nova X5 tomorrow.", "found 1 card"),
    ("See www.aurora-phones.example/nova for the full Nova X5 story.", "found 1 web address"),
])
def test_pii_and_contact_details_fail(text, detail):
    result = check_no_pii(text)
    assert (result.name, result.passed, result.detail) == ("no_pii", False, detail)


def test_copy_without_pii_passes():
    assert check_no_pii(GOOD_PHONE_COPY).passed and check_no_pii(GOOD_SHOE_COPY).passed


def test_numbers_must_come_from_the_facts(phone, trail_shoe, replay_catalog):
    assert check_numbers("At 129.95 EUR, 280 grams and an 8 mm drop.", trail_shoe).passed
    assert check_numbers("The Star Wars classic from 1977.", replay_catalog[0]).passed
    assert check_numbers("Yours for 1,299 or 1299.00 EUR.", ProductFacts.from_record({**PHONE, "price": 1299.0})).passed
    invented = check_numbers("It lasts up to 24 hours and costs 499 EUR, 20% off since 2016.", phone)
    assert not invented.passed and invented.detail == "numbers not in the facts: 24, 20, 2016"


def test_a_currency_symbol_must_match_the_facts(phone):
    result = check_numbers("The Nova X5 is available at a price of $499.", phone)
    assert not result.passed and result.detail == "currency $ but the facts' currency is EUR"
    assert check_numbers("The Nova X5 costs €499.", phone).passed


def test_brand_like_words_must_come_from_the_facts_or_be_ordinary_words(phone, trail_shoe, replay_catalog):
    assert check_brands(GOOD_PHONE_COPY, phone).passed
    assert check_brands("Experience Ultimate Comfort. The NORTHPEAK TrailRunner Keeps Going.", trail_shoe).passed
    invented = check_brands("The Nova X5 rivals the iPhone, runs on a Snapdragon chip and pairs with JBL "
                            "speakers, like the Galaxy S24.", phone)
    assert not invented.passed and invented.detail == "names not in the facts: iPhone, Snapdragon, JBL, S24"
    movie = check_brands("Star Wars follows Luke and the Jedi against the Empire, as Skywalker learns.",
                         replay_catalog[0])
    assert not movie.passed and movie.detail == "names not in the facts: Jedi, Skywalker"


def test_known_brands_fail_even_when_they_are_ordinary_words(phone):
    assert check_brands("Like Apple, Aurora builds the Nova X5 for everyone.", phone).detail == \
        "names not in the facts: Apple"
    assert check_brands("Enjoy an apple and a samsung-free Nova X5.", phone).detail == "names not in the facts: samsung"
    assert check_brands("Aurora by Apple.", ProductFacts.from_record({**PHONE, "brand": "Apple"})).passed


def test_capitalised_nouns_pass_in_other_languages_but_names_still_fail():
    german = ProductFacts.from_record({**PHONE, "language": "de"})
    assert check_brands("Das Nova X5 von Aurora: Leistung und Akku für Arbeit und Spiel.", german).passed
    assert not check_brands("Das Nova X5 schlägt jedes iPhone.", german).passed


def test_profanity_is_blocked_as_whole_words(phone, trail_shoe):
    result = check_profanity("The Nova X5 is damn fast and the battery is no crap.", phone)
    assert not result.passed and result.detail == "blocked words: damn, crap"
    assert not check_profanity("Shitty weather? The TrailRunner does not care.", trail_shoe).passed
    # Whole words only: Scunthorpe, classic, cockpit, shitake-free and assessment are fine.
    assert check_profanity("A classic from Scunthorpe with a cockpit-grade assessment.", trail_shoe).passed


def test_a_blocked_word_in_the_products_own_title_is_allowed():
    film = ProductFacts.from_record({"product_id": "ml-1", "title": "Dick Tracy", "category": "Action"})
    assert check_profanity("Dick Tracy fights crime in a colourful city.", film).passed


def test_details_fit_a_copy_check(phone):
    many = " ".join(f"Model{i}X" for i in range(100))
    result = check_brands(f"The Nova X5 and {many}.", phone)
    assert len(result.detail) == 300 and result.detail.endswith("…")
    CopyCheck(**result.to_dict())
