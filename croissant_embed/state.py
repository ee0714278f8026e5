"""The sync state: which payload hash the server confirmed for each product.

``state.json`` holds a snapshot; ``state.journal`` gets one line per confirmed product,
appended and flushed the moment the server answers 2xx. A build killed mid-sync loses
nothing the server confirmed and claims nothing it did not: the next run replays the
journal (ignoring a torn last line) and sends exactly the remainder. Each API base URL
has its own table, so switching environments syncs everything again.

Each table also counts *generations*: every sync (a build's, or an applied plan's) begins
and finishes one. A plan records the generation it was made against, so a plan that a newer
sync overtook is refused instead of sending stale data.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import SiteError
from .sitefiles import write_atomic

VERSION = 2


@dataclass
class TargetState:
    """One API target's confirmed hashes and sync bookkeeping."""

    products: dict[str, str] = field(default_factory=dict)
    generation: int = 0
    applying: str | None = None
    last_sync: str | None = None


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

    @property
    def table(self) -> TargetState:
        """This target's state."""
        return self._all.setdefault(self.target, TargetState())

    @property
    def confirmed(self) -> dict[str, str]:
        """Product id -> hash of the payload the server confirmed, for this target."""
        return self.table.products

    def _load(self) -> None:
        if self.snapshot.is_file():
            try:
                data = json.loads(self.snapshot.read_text(encoding="utf-8"))
                version = data.get("version")
                for target, table in data.get("targets", {}).items():
                    if version == 1:  # a plain id -> hash table
                        self._all[target] = TargetState(dict(table))
                    elif version == VERSION:
                        self._all[target] = TargetState(
                            dict(table["products"]), int(table["generation"]), table.get("applying"), table.get("last_sync")
                        )
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
        elif "end" in entry:
            table.generation += 1
            table.last_sync, table.applying = entry["end"], None
        else:
            table.products[entry["id"]] = entry["hash"]

    def _append(self, entry: dict[str, Any]) -> None:
        if self._journal is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._journal = open(self.journal_path, "a", encoding="utf-8")
        self._journal.write(json.dumps({"target": self.target, **entry}, ensure_ascii=False) + "\n")
        self._journal.flush()
        self._replay({"target": self.target, **entry})

    def begin(self, sync_id: str) -> None:
        """A sync (a build's or a plan's) starts."""
        self._append({"begin": sync_id})

    def finish(self, sync_id: str) -> None:
        """A sync finished: the state moves to the next generation."""
        self._append({"end": sync_id})

    def record(self, product_id: str, digest: str) -> None:
        """Remember a confirmed payload at once (journal line, flushed to the OS)."""
        self._append({"id": product_id, "hash": digest})

    def save(self) -> None:
        """Fold the journal into the snapshot (atomic, durable), then empty the journal."""
        if self._journal is not None:
            os.fsync(self._journal.fileno())
            self._journal.close()
            self._journal = None
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {
            "version": VERSION,
            "targets": {
                target: {"generation": t.generation, "applying": t.applying, "last_sync": t.last_sync, "products": dict(sorted(t.products.items()))}
                for target, t in sorted(self._all.items())
            },
        }
        write_atomic(self.snapshot, json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8"), durable=True)
        self.journal_path.unlink(missing_ok=True)
