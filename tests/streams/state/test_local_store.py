"""The local table store is reused only after a clean stop; after a crash it is deleted and rebuilt."""

from streams.state import local_store


def tables_with_a_store(tmp_path):
    tables = tmp_path / "v1" / "tables"
    (tables / "user-profiles-0.db").mkdir(parents=True)
    return tables


def test_after_a_crash_the_tables_are_deleted(tmp_path):
    tables = tables_with_a_store(tmp_path)
    assert local_store.prepare(tmp_path, tables) is True
    assert not tables.exists()


def test_after_a_clean_stop_the_tables_are_kept_and_the_mark_is_used_up(tmp_path):
    tables = tables_with_a_store(tmp_path)
    local_store.mark_clean(tmp_path)
    assert local_store.prepare(tmp_path, tables) is False
    assert (tables / "user-profiles-0.db").exists()
    assert not (tmp_path / local_store.CLEAN_MARK).exists()  # a crash of this run is detected next time
    assert local_store.prepare(tmp_path, tables) is True


def test_a_first_start_has_nothing_to_delete(tmp_path):
    assert local_store.prepare(tmp_path, tmp_path / "v1" / "tables") is False
