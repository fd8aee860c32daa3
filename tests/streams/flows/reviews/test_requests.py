from streams.flows.reviews.requests import review_request
from tests.streams.factories import review


def test_a_review_request_joins_title_and_text_and_carries_no_pii():
    base = review(1)
    with_pii = base.model_copy(update={"title": "Runs small", "text": "Write to jane.doe@example.com or call "
                                                                     "+1 415 555 2671. Card 4111 1111 1111 1111."})
    request = review_request(with_pii)
    assert request.text == "Runs small. Write to [email] or call [phone]. Card [card]."
    assert (request.event_id, request.product_id, request.rating) == (base.event_id, base.product_id, base.rating)
    assert review_request(base).text == "Lovely fabric."  # no title: the text alone
