"""Apply stage for plans: ``croissant-embed apply plan.json`` after the deploy succeeded.

A plan is applied once. Applying it again does nothing; applying one that a newer sync
overtook is refused, because its payloads may be older than what Croissant already holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .errors import ConfigError, PlanError
from .plan import PlannedProduct, canonical_json, read_plan
from .report import write_report
from .settings import Settings
from .state import SyncState
from .sync import run_sync


@dataclass
class ApplyResult:
    """What applying a plan did."""

    products: list[PlannedProduct]
    ok: bool
    note: str
    messages: list[str] = field(default_factory=list)


def apply_plan(settings: Settings, plan_path: Path, *, report_path: Path | None = None, progress: bool = True) -> ApplyResult:
    """Send what the plan holds, unless it was applied already or is stale."""
    plan = read_plan(plan_path)
    if plan["target"] != settings.api_base_url:
        raise ConfigError([f"the plan was made for {plan['target']}, but the settings point at {settings.api_base_url}"])
    state = SyncState(settings.state_dir, settings.api_base_url)
    table = state.table
    entries = [
        PlannedProduct(p["id"], p["page"], canonical_json(p["payload"]), {}, "update" if p["base"] else "create", p["hash"])
        for p in plan["products"]
    ]
    if table.last_sync == plan["id"]:
        note = "already applied: nothing to send"
        for entry in entries:
            entry.action, entry.result = "unchanged", "skipped"
        return _done(entries, True, note, report_path)
    if table.applying != plan["id"] and table.generation != plan["generation"]:
        raise PlanError(
            f"stale plan: it was made against sync generation {plan['generation']}, and the state is at "
            f"{table.generation} (a newer build or plan has synced since). Make a new plan with build --plan."
        )
    for entry in entries:
        if state.confirmed.get(entry.id) == entry.hash:  # sent before this run was interrupted
            entry.action, entry.result = "unchanged", "skipped"
    messages: list[str] = []
    ok = run_sync(settings, entries, state, plan["id"], finish_on_failure=False, progress=progress, messages=messages)
    return _done(entries, ok, "applied" if ok else "partly applied: apply the same plan again to send the rest", report_path, messages)


def _done(entries: list[PlannedProduct], ok: bool, note: str, report_path: Path | None, messages: list[str] | None = None) -> ApplyResult:
    if report_path is not None:
        write_report(report_path, [], entries, note=note)
    return ApplyResult(entries, ok, note, messages or [])
