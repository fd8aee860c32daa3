from streams.state.dedupe import already_applied, mark, offset_applied, remember


def test_markers_are_kept_per_source_and_partition_and_only_move_up():
    applied = mark(mark({}, "clicks", (0, 5)), "clicks", (1, 2))
    applied = mark(applied, "clicks", (0, 3))  # a lower offset never moves a marker down
    assert applied == {"clicks@0": 5, "clicks@1": 2}
    assert offset_applied(applied, "clicks", (0, 5)) and not offset_applied(applied, "clicks", (0, 6))
    assert not offset_applied(applied, "reviews", (0, 1))  # another stream's partitions are its own
    assert not offset_applied(applied, "clicks", None) and mark(applied, "clicks", None) == applied


def test_the_id_memory_keeps_the_newest_ids_per_source():
    seen = {}
    for n in range(5):
        seen = remember(seen, "clicks", f"e{n}", limit=3)
    assert seen == {"clicks": ["e2", "e3", "e4"]}
    assert already_applied(seen, "clicks", "e4") and not already_applied(seen, "clicks", "e1")
    assert not already_applied(seen, "searches", "e4")
