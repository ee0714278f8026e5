"""The sync state: a journal and a snapshot of what the server confirmed, per API target."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from croissant_embed.errors import SiteError
from croissant_embed.state import SyncState

SANDBOX = "https://sandbox.croissant.example/v0"
PRODUCTION = "https://api.croissant.example/v0"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A state folder that does not exist yet (the state creates it)."""
    return tmp_path / ".croissant"


def reopen(folder: Path, target: str = SANDBOX) -> SyncState:
    """The state as the next run finds it."""
    return SyncState(folder, target)


def journal_lines(folder: Path) -> list[dict]:
    """The journal's events, parsed."""
    return [json.loads(line) for line in (folder / "state.journal").read_text(encoding="utf-8").splitlines()]


def test_a_new_state_is_empty_and_writes_nothing_until_something_happens(folder):
    state = SyncState(folder, SANDBOX)
    assert state.confirmed == {} and state.unconfirmed == {}
    assert state.table.generation == 0 and state.table.newest_plan is None
    assert not folder.exists()


def test_a_confirmation_is_journaled_at_once_and_survives_a_run_that_never_saved(folder):
    state = SyncState(folder, SANDBOX)
    state.begin("sync-1")
    state.record("P1", "hash-1")
    # no save(): the run was killed here
    assert journal_lines(folder)[-1] == {"target": SANDBOX, "id": "P1", "hash": "hash-1"}
    assert reopen(folder).confirmed == {"P1": "hash-1"}
    state.save()  # only to close the journal file


def test_save_folds_the_journal_into_the_snapshot_and_removes_the_journal(folder):
    state = SyncState(folder, SANDBOX)
    state.record("P2", "hash-2")
    state.record("P1", "hash-1")
    state.record("P1", "hash-1b")
    state.save()
    assert not (folder / "state.journal").exists()
    snapshot = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    assert snapshot["version"] == 3
    assert snapshot["targets"][SANDBOX]["products"] == {"P1": "hash-1b", "P2": "hash-2"}
    assert reopen(folder).confirmed == {"P1": "hash-1b", "P2": "hash-2"}


def test_journal_events_after_a_snapshot_are_replayed_on_top_of_it(folder):
    state = SyncState(folder, SANDBOX)
    state.record("P1", "old")
    state.record("P2", "two")
    state.save()
    later = reopen(folder)
    later.record("P1", "new")
    assert reopen(folder).confirmed == {"P1": "new", "P2": "two"}
    later.save()


def tear_journal(folder: Path) -> None:
    """Leave the half-written last line a kill in the middle of a journal write leaves."""
    with open(folder / "state.journal", "a", encoding="utf-8") as journal:
        journal.write('{"target": "' + SANDBOX + '", "id": "P3", "ha')


def test_a_torn_last_journal_line_is_ignored(folder):
    state = SyncState(folder, SANDBOX)
    state.record("P1", "hash-1")
    state.save()
    killed = reopen(folder)
    killed.record("P2", "hash-2")
    tear_journal(folder)
    try:
        assert reopen(folder).confirmed == {"P1": "hash-1", "P2": "hash-2"}
    finally:
        killed.save()  # only to close the journal file this test left open


def test_events_appended_after_a_torn_line_survive_another_kill(folder, tmp_path):
    killed = SyncState(folder, SANDBOX)
    killed.plan_made("plan-a", tmp_path / "a.json")
    killed.record("P1", "hash-1")
    tear_journal(folder)
    second = reopen(folder)
    second.begin("build-2")
    second.record("P2", "hash-2")
    try:
        table = reopen(folder).table
        assert table.products == {"P1": "hash-1", "P2": "hash-2"}
        assert table.applying == "build-2"
        assert table.newest_plan is None  # build-2 overtook plan-a
    finally:
        killed.save()  # only to close the journal files this test left open
        second.save()


def test_a_journal_with_undecodable_bytes_loses_only_that_line(folder):
    folder.mkdir()
    good = json.dumps({"target": SANDBOX, "id": "P1", "hash": "h1"})
    (folder / "state.journal").write_bytes(good.encode() + b"\n\xff\xfe{broken\n")
    assert reopen(folder).confirmed == {"P1": "h1"}


def test_each_api_target_has_its_own_table(folder):
    sandbox = SyncState(folder, SANDBOX)
    sandbox.record("P1", "hash-sandbox")
    sandbox.save()
    production = reopen(folder, PRODUCTION)
    assert production.confirmed == {}
    production.record("P1", "hash-production")
    production.save()
    assert reopen(folder, SANDBOX).confirmed == {"P1": "hash-sandbox"}
    assert reopen(folder, PRODUCTION).confirmed == {"P1": "hash-production"}
    snapshot = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    assert sorted(snapshot["targets"]) == sorted([SANDBOX, PRODUCTION])


def test_a_finished_sync_starts_the_next_generation(folder):
    state = SyncState(folder, SANDBOX)
    state.begin("sync-1")
    assert state.table.applying == "sync-1" and state.table.generation == 0
    state.finish("sync-1")
    assert state.table.applying is None and state.table.last_sync == "sync-1" and state.table.generation == 1
    state.begin("sync-2")
    # killed before finishing: the next run sees a sync in progress, one generation done
    table = reopen(folder).table
    assert (table.generation, table.applying, table.last_sync) == (1, "sync-2", "sync-1")
    state.finish("sync-2")
    state.save()
    table = reopen(folder).table
    assert (table.generation, table.applying, table.last_sync) == (2, None, "sync-2")


def test_a_send_started_but_never_confirmed_stays_marked_until_confirmed(folder):
    state = SyncState(folder, SANDBOX)
    state.start("P1", "hash-1")
    state.start("P2", "hash-2")
    state.record("P2", "hash-2")
    assert reopen(folder).unconfirmed == {"P1": "hash-1"}
    state.save()
    snapshot = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    assert snapshot["targets"][SANDBOX]["started"] == {"P1": "hash-1"}
    later = reopen(folder)
    assert later.unconfirmed == {"P1": "hash-1"} and later.confirmed == {"P2": "hash-2"}
    later.record("P1", "hash-1")
    later.save()
    assert reopen(folder).unconfirmed == {}


def test_plans_made_are_numbered_and_the_newest_is_remembered(folder, tmp_path):
    state = SyncState(folder, SANDBOX)
    state.plan_made("plan-a", Path("plans/a.json"))
    state.plan_made("plan-b", tmp_path / "b.json")
    plan = reopen(folder).table.newest_plan
    assert (plan.id, plan.number, plan.path) == ("plan-b", 2, str(tmp_path / "b.json"))
    assert Path(state.table.newest_plan.path).is_absolute()
    state.save()
    table = reopen(folder).table
    assert table.plans == 2 and table.newest_plan == plan


def test_a_relative_plan_path_is_stored_absolute(folder, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    state = SyncState(folder, SANDBOX)
    state.plan_made("plan-a", Path("a.json"))
    assert state.table.newest_plan.path == str(tmp_path / "a.json")
    state.save()


def test_beginning_another_sync_makes_every_plan_stale_but_applying_the_plan_does_not(folder, tmp_path):
    state = SyncState(folder, SANDBOX)
    state.plan_made("plan-a", tmp_path / "a.json")
    state.begin("plan-a")  # applying the newest plan itself
    assert state.table.newest_plan is not None and state.table.newest_plan.id == "plan-a"
    state.finish("plan-a")
    state.begin("build-7")  # a build's own sync overtakes the plan
    assert state.table.newest_plan is None
    state.save()
    assert reopen(folder).table.newest_plan is None
    assert reopen(folder).table.plans == 1


def test_state_of_one_target_never_leaks_plans_or_markers_into_another(folder, tmp_path):
    sandbox = SyncState(folder, SANDBOX)
    sandbox.plan_made("plan-a", tmp_path / "a.json")
    sandbox.start("P1", "h")
    sandbox.begin("sync-1")
    production = reopen(folder, PRODUCTION)
    assert production.table.newest_plan is None and production.unconfirmed == {} and production.table.applying is None
    sandbox.save()


@pytest.mark.parametrize(
    "content",
    [
        "{not json",
        json.dumps({"version": 99, "targets": {SANDBOX: {}}}),
        json.dumps({"version": 3, "targets": {SANDBOX: {"generation": 0}}}),
        json.dumps({"version": 3, "targets": [1, 2]}),
        json.dumps([1, 2, 3]),
    ],
    ids=["not-json", "unknown-version", "missing-products", "targets-not-a-table", "not-an-object"],
)
def test_an_unreadable_snapshot_is_a_site_error_naming_the_file_and_the_fix(folder, content):
    folder.mkdir()
    (folder / "state.json").write_text(content, encoding="utf-8")
    with pytest.raises(SiteError) as caught:
        SyncState(folder, SANDBOX)
    error = caught.value
    assert error.path == str(folder / "state.json")
    assert str(folder / "state.json") in str(error)
    assert "delete it" in str(error)
    assert error.__cause__ is not None


def test_a_snapshot_that_is_not_utf_8_is_a_site_error(folder):
    folder.mkdir()
    (folder / "state.json").write_bytes(b"\xff\xfe\x00{")
    with pytest.raises(SiteError, match="state.json"):
        SyncState(folder, SANDBOX)


def test_a_version_2_snapshot_still_loads(folder):
    folder.mkdir()
    (folder / "state.json").write_text(json.dumps({
        "version": 2,
        "targets": {SANDBOX: {"generation": 4, "applying": None, "last_sync": "sync-4", "products": {"P1": "h1", "P2": "h2"}}},
    }), encoding="utf-8")
    state = SyncState(folder, SANDBOX)
    assert state.confirmed == {"P1": "h1", "P2": "h2"}
    assert (state.table.generation, state.table.last_sync, state.table.applying) == (4, "sync-4", None)
    assert state.unconfirmed == {} and state.table.plans == 0 and state.table.newest_plan is None
    state.record("P3", "h3")
    state.save()  # rewritten as the current version
    snapshot = json.loads((folder / "state.json").read_text(encoding="utf-8"))
    assert snapshot["version"] == 3
    assert snapshot["targets"][SANDBOX]["products"] == {"P1": "h1", "P2": "h2", "P3": "h3"}


def test_a_version_1_snapshot_of_plain_hashes_still_loads(folder):
    folder.mkdir()
    (folder / "state.json").write_text(json.dumps({"version": 1, "targets": {SANDBOX: {"P1": "h1"}}}), encoding="utf-8")
    state = SyncState(folder, SANDBOX)
    assert state.confirmed == {"P1": "h1"} and state.table.generation == 0


def test_non_ascii_ids_and_targets_round_trip(folder):
    state = SyncState(folder, "https://café.example/v0")
    state.record("ÆRØ-東京", "h")
    assert reopen(folder, "https://café.example/v0").confirmed == {"ÆRØ-東京": "h"}
    state.save()
    assert reopen(folder, "https://café.example/v0").confirmed == {"ÆRØ-東京": "h"}


def test_the_snapshot_written_piece_by_piece_is_the_json_of_the_whole_state(folder):
    # saved in chunks (a large catalogue's snapshot held as one text was a sync's peak of memory): it must stay plain JSON
    state = SyncState(folder, SANDBOX)
    state.begin("sync-1")
    for number, product_id in enumerate(["B-2", "A-1", "é-ünïcode", 'quote"d', "C\\3"]):
        state.record(product_id, f"hash-{number}")
    state.start("D-4", "hash-started")
    state.save()
    empty = SyncState(folder, PRODUCTION)  # a second target whose tables are empty
    empty.begin("sync-2")
    empty.finish("sync-2")
    empty.save()
    text = (folder / "state.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=1, ensure_ascii=False)
    assert data["targets"][SANDBOX]["products"] == {"A-1": "hash-1", "B-2": "hash-0", "C\\3": "hash-4", 'quote"d': "hash-3", "é-ünïcode": "hash-2"}
    assert list(data["targets"][SANDBOX]["products"]) == sorted(data["targets"][SANDBOX]["products"])
    assert data["targets"][PRODUCTION]["products"] == {} and reopen(folder).confirmed["é-ünïcode"] == "hash-2"
