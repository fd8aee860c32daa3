from streams.flows.intake.dead_letters import already_dead_lettered, ledger_key


def test_a_record_at_or_below_the_highest_dead_lettered_offset_was_sent_before():
    assert ledger_key("shop.clicks", 2) == "shop.clicks@2"
    assert not already_dead_lettered(None, 0)  # nothing dead-lettered from this partition yet
    assert already_dead_lettered(41, 41) and already_dead_lettered(41, 7)
    assert not already_dead_lettered(41, 42)
