"""The sync state: which payload hash the server confirmed for each product.

``state.json`` holds a snapshot; ``state.journal`` gets one JSON line per event, appended
and flushed the moment it happens. A build killed mid-sync loses nothing the server
confirmed and claims nothing it did not: the next run replays the journal (ignoring a torn
last line) and sends exactly the remainder. Each API base URL has its own table, so
switching environments syncs everything again.

Journal lines (each also carries ``"target"``, the API base URL):

    {"begin": SYNC_ID}                 a sync (a build's, or an applied plan's) starts
    {"started": ID, "hash": HASH}      a PUT of product ID is about to be sent
    {"id": ID, "hash": HASH}           the server confirmed product ID with that payload
    {"end": SYNC_ID}                   the sync finished: the next generation begins
    {"plan": PLAN_ID, "path": PATH}    build --plan wrote a plan

A product *started* but never confirmed (a kill, a lost answer) may still land on the
server later, with data older than the next run's; every later sync sends it again, last.
The marker stays until a confirmation, so the snapshot keeps only unconfirmed ones.

Each table also counts *generations* and plans. Only the newest plan made may be applied,
and only until another sync begins: so a plan that a newer plan or sync overtook is refused
instead of sending stale data.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import IO, Any, Iterable, Iterator

from .errors import SiteError
from .sitefiles import atomic_file

VERSION = 3


@dataclass(frozen=True)
class PlanRecord:
    """A plan that build --plan wrote: its id, its number among this target's plans, its file."""

    id: str
    number: int
    path: str


@dataclass
class TargetState:
    """One API target's confirmed hashes and sync bookkeeping."""

    products: dict[str, str] = field(default_factory=dict)
    generation: int = 0
    applying: str | None = None
    last_sync: str | None = None
    started: dict[str, str] = field(default_factory=dict)
    plans: int = 0
    newest_plan: PlanRecord | None = None

    def to_json(self) -> dict[str, Any]:
        """The table as kept in the snapshot (its markers and products as items in id order, see :func:`_json_chunks`)."""
        plan = self.newest_plan
        return {
            "generation": self.generation, "applying": self.applying, "last_sync": self.last_sync, "plans": self.plans,
            "newest_plan": None if plan is None else {"id": plan.id, "number": plan.number, "path": plan.path},
            "started": _in_id_order(self.started), "products": _in_id_order(self.products),
        }

    @classmethod
    def from_json(cls, table: dict[str, Any]) -> TargetState:
        """A table from the snapshot (version 2 had no plans and no started markers)."""
        plan = table.get("newest_plan")
        products = table["products"]
        return cls(
            products if type(products) is dict else dict(products),  # a table just parsed is not copied (a large one is 4 MB)
            int(table["generation"]), table.get("applying"), table.get("last_sync"),
            dict(table.get("started") or {}), int(table.get("plans") or 0),
            None if plan is None else PlanRecord(str(plan["id"]), int(plan["number"]), str(plan["path"])),
        )


class SyncState:
    """Confirmed hashes for one API target, with a write-ahead journal."""

    def __init__(self, folder: Path, target: str) -> None:
        self.folder = folder
        self.target = target
        self.snapshot = folder / "state.json"
        self.journal_path = folder / "state.journal"
        self._all: dict[str, TargetState] = {}
        self._journal: IO[str] | None = None
        self._load()

    def for_target(self, target: str) -> SyncState:
        """The same state folder seen for another target (a market's), sharing every table already read.

        Views are used one after another (each sync saves before the next begins), so each
        snapshot written holds what every view recorded.
        """
        view = SyncState.__new__(SyncState)
        view.__dict__.update(self.__dict__)
        view.target, view._journal = target, None
        return view

    @property
    def table(self) -> TargetState:
        """This target's state."""
        return self._all.setdefault(self.target, TargetState())

    @property
    def confirmed(self) -> dict[str, str]:
        """Product id -> hash of the payload the server confirmed, for this target."""
        return self.table.products

    @property
    def unconfirmed(self) -> dict[str, str]:
        """Product id -> hash of a send that started but was never confirmed, for this target."""
        return self.table.started

    def adopt(self, hashes: Iterable[tuple[str, str]]) -> None:
        """Hold each confirmed hash that a product of the catalogue still has as the catalogue's own (equal) string.

        Nothing changes but memory: a large state would otherwise keep a second copy of every
        unchanged product's hash while the plan is made (13 MB at 100,000 products).
        """
        products = self.table.products
        for product_id, digest in hashes:
            if products.get(product_id) == digest:
                products[product_id] = digest

    def _load(self) -> None:
        if self.snapshot.is_file():
            try:
                data = json.loads(self.snapshot.read_text(encoding="utf-8"))
                version = data.get("version")
                for target, table in data.get("targets", {}).items():
                    if version == 1:  # a plain id -> hash table
                        self._all[target] = TargetState(dict(table))
                    elif version in (2, VERSION):
                        self._all[target] = TargetState.from_json(table)
                    else:
                        raise ValueError(f"version {version!r}")
            except (ValueError, AttributeError, KeyError, TypeError, OSError) as exc:
                raise SiteError(f"the state file is unreadable ({exc}); delete it to sync everything again", path=str(self.snapshot)) from exc
        if self.journal_path.is_file():
            for line in self.journal_path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    self._replay(json.loads(line))
                except (ValueError, KeyError, TypeError, AttributeError):
                    continue  # a line torn by a kill: that event was not recorded

    def _replay(self, entry: dict[str, Any]) -> None:
        table = self._all.setdefault(entry["target"], TargetState())
        if "begin" in entry:
            table.applying = entry["begin"]
            if table.newest_plan is not None and table.newest_plan.id != entry["begin"]:
                table.newest_plan = None  # another sync overtook every plan made so far
        elif "end" in entry:
            table.generation += 1
            table.last_sync, table.applying = entry["end"], None
        elif "started" in entry:
            table.started[entry["started"]] = entry["hash"]
        elif "plan" in entry:
            table.plans += 1
            table.newest_plan = PlanRecord(entry["plan"], table.plans, entry["path"])
        else:
            table.products[entry["id"]] = entry["hash"]
            table.started.pop(entry["id"], None)

    def _ends_with_newline(self) -> bool:
        with open(self.journal_path, "rb") as journal:
            journal.seek(-1, os.SEEK_END)
            return journal.read(1) == b"\n"

    def _append(self, entry: dict[str, Any]) -> None:
        if self._journal is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._journal = open(self.journal_path, "a", encoding="utf-8")
            if self._journal.tell() and not self._ends_with_newline():
                self._journal.write("\n")  # a killed run tore the last line: begin ours on a line of its own
        self._journal.write(json.dumps({"target": self.target, **entry}, ensure_ascii=False) + "\n")
        self._journal.flush()
        self._replay({"target": self.target, **entry})

    def begin(self, sync_id: str) -> None:
        """A sync (a build's or a plan's) starts."""
        self._append({"begin": sync_id})

    def finish(self, sync_id: str) -> None:
        """A sync finished: the state moves to the next generation."""
        self._append({"end": sync_id})

    def start(self, product_id: str, digest: str) -> None:
        """Note that a payload is about to be sent (before the request leaves)."""
        self._append({"started": product_id, "hash": digest})

    def record(self, product_id: str, digest: str) -> None:
        """Remember a confirmed payload at once (journal line, flushed to the OS)."""
        self._append({"id": product_id, "hash": digest})

    def plan_made(self, plan_id: str, path: Path) -> None:
        """Register a plan as the newest one: every plan made before it becomes stale."""
        self._append({"plan": plan_id, "path": str(path.absolute())})

    def save(self) -> None:
        """Fold the journal into the snapshot (atomic, durable), then empty the journal."""
        if self._journal is not None:
            os.fsync(self._journal.fileno())
            self._journal.close()
            self._journal = None
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "version": VERSION,
            "targets": {target: t.to_json() for target, t in sorted(self._all.items())},
        }
        # written piece by piece: the snapshot of a large catalogue, held as one text (and its bytes), was the peak of a sync's memory
        with atomic_file(self.snapshot, "w", durable=True) as out:
            chunks = _json_chunks(data, 0)
            while batch := "".join(islice(chunks, 1000)):
                out.write(batch)
        self.journal_path.unlink(missing_ok=True)


_ENCODER = json.JSONEncoder(ensure_ascii=False)


def _in_id_order(table: dict[str, str]) -> Iterator[tuple[str, str]]:
    """A table's items sorted by id, without a sorted copy of the table."""
    return ((key, table[key]) for key in sorted(table))


def _json_chunks(value: Any, level: int) -> Iterator[str]:
    """``value`` as ``json.dumps(value, indent=1, ensure_ascii=False)`` lays it out, piece by piece.

    A dict, or an iterator of (key, value) items, is an object; anything else is encoded whole.
    """
    if isinstance(value, dict):
        value = iter(value.items())
    if not isinstance(value, Iterator):
        yield _ENCODER.encode(value)
        return
    indent = "\n" + " " * (level + 1)
    separator = "{" + indent
    for key, item in value:
        head = separator + _ENCODER.encode(key) + ": "
        separator = "," + indent
        if isinstance(item, (dict, Iterator)):
            yield head
            yield from _json_chunks(item, level + 1)
        else:
            yield head + _ENCODER.encode(item)
    yield "{}" if separator[0] == "{" else "\n" + " " * level + "}"
