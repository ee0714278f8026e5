"""Applying a plan file: ``croissant-embed apply plan.json`` after the deploy succeeded.

A plan is applied once. Applying it again does nothing. Only the newest plan made may be
applied, and only until another sync begins: applying one that a newer plan or sync
overtook is refused, because its payloads may be older than the site or than what Croissant
already holds.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .errors import AuthError, ConfigError, PlanError
from .contract import DEFAULT_MARKET, canonical_json
from .plan import PlannedProduct, Results
from .planfile import read_plan
from .report import write_report
from .settings import Settings
from .state import SyncState, TargetState
from .sync import OnProgress, run_sync


@dataclass
class ApplyResult:
    """What applying a plan did."""

    products: list[PlannedProduct]
    results: Results
    ok: bool
    note: str
    messages: list[str] = field(default_factory=list)


def apply_plan(
    settings: Settings, plan_path: Path, *, report_path: Path | None = None, on_progress: OnProgress | None = None
) -> ApplyResult:
    """Send what the plan holds, unless it was applied already or is stale."""
    plan = read_plan(plan_path)
    market = plan.get("market") if isinstance(plan.get("market"), str) else DEFAULT_MARKET
    settings = settings.for_market(market)  # a market's plan is sent with its merchant's credentials
    if plan["target"] != settings.state_target:
        raise ConfigError([f"the plan was made for {plan['target']}, but the settings point at {settings.state_target}"])
    state = SyncState(settings.state_dir, settings.state_target)
    table = state.table
    entries = [
        PlannedProduct(p["id"], p["page"], canonical_json(p["payload"]), {}, "update" if p["base"] else "create", p["hash"], market=market)
        for p in plan["products"]
    ]
    if table.last_sync == plan["id"]:
        return _done([replace(entry, action="unchanged") for entry in entries], {}, True, "already applied: nothing to send", report_path)
    if table.newest_plan is None or table.newest_plan.id != plan["id"]:
        raise _stale(plan_path, plan, table)
    # Sent and confirmed before this apply was interrupted; a send never confirmed goes again.
    entries = [
        replace(entry, action="unchanged") if state.confirmed.get(entry.id) == entry.hash and entry.id not in state.unconfirmed else entry
        for entry in entries
    ]
    messages: list[str] = []
    run = run_sync(settings, entries, state, plan["id"], finish_on_failure=False, on_progress=on_progress, messages=messages)
    if isinstance(run.stopped, AuthError):
        _done(entries, run.results, False, f"stopped: {run.stopped}", report_path, messages)
        raise run.stopped
    note = "applied" if run.ok else "partly applied: apply the same plan again to send the rest"
    return _done(entries, run.results, run.ok, note, report_path, messages)


def _stale(plan_path: Path, plan: dict[str, Any], table: TargetState) -> PlanError:
    """Why the plan may hold older data than the site or the server, and what to do instead."""
    newer = table.newest_plan
    if newer is not None:
        return PlanError(
            f"stale plan: {plan_path} was overtaken by plan #{newer.number} ({newer.path}), made after it: "
            f"apply {newer.path} instead, or make a new plan with build --plan."
        )
    return PlanError(
        f"stale plan: {plan_path} was made against sync generation {plan['generation']}, and a build or another plan "
        f"has synced since (the state is at generation {table.generation}), so it may hold older data than Croissant. "
        "Make a new plan with build --plan."
    )


def _done(
    entries: list[PlannedProduct], results: Results, ok: bool, note: str, report_path: Path | None, messages: list[str] | None = None
) -> ApplyResult:
    if report_path is not None:
        write_report(report_path, [], entries, results, note=note)
    return ApplyResult(entries, results, ok, note, messages or [])
