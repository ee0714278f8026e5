"""The sync state: which payload hash the server confirmed for each product.

``state.json`` holds a snapshot; ``state.journal`` gets one line per confirmed product,
appended and flushed the moment the server answers 2xx. A build killed mid-sync loses
nothing the server confirmed and claims nothing it did not: the next run replays the
journal (ignoring a torn last line) and sends exactly the remainder. Each API base URL
has its own table, so switching environments syncs everything again.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import IO

from .errors import SiteError
from .sitefiles import write_atomic

VERSION = 1


class SyncState:
    """Confirmed hashes for one API target, with a write-ahead journal."""

    def __init__(self, folder: Path, target: str) -> None:
        self.folder = folder
        self.target = target
        self.snapshot = folder / "state.json"
        self.journal_path = folder / "state.journal"
        self._all: dict[str, dict[str, str]] = {}
        self._journal: IO[str] | None = None
        self._load()

    @property
    def confirmed(self) -> dict[str, str]:
        """Product id -> hash of the payload the server confirmed, for this target."""
        return self._all.setdefault(self.target, {})

    def _load(self) -> None:
        if self.snapshot.is_file():
            try:
                data = json.loads(self.snapshot.read_text(encoding="utf-8"))
                if data.get("version") != VERSION:
                    raise ValueError(f"version {data.get('version')!r}")
                self._all = {t: dict(v) for t, v in data.get("targets", {}).items()}
            except (ValueError, AttributeError, OSError) as exc:
                raise SiteError(f"the state file is unreadable ({exc}); delete it to sync everything again", path=str(self.snapshot)) from exc
        if self.journal_path.is_file():
            for line in self.journal_path.read_text(encoding="utf-8", errors="replace").splitlines():
                try:
                    entry = json.loads(line)
                    self._all.setdefault(entry["target"], {})[entry["id"]] = entry["hash"]
                except (ValueError, KeyError, TypeError):
                    continue  # a line torn by a kill: that product was not recorded

    def record(self, product_id: str, digest: str) -> None:
        """Remember a confirmed payload at once (journal line, flushed to the OS)."""
        if self._journal is None:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._journal = open(self.journal_path, "a", encoding="utf-8")
        self._journal.write(json.dumps({"target": self.target, "id": product_id, "hash": digest}, ensure_ascii=False) + "\n")
        self._journal.flush()
        self.confirmed[product_id] = digest

    def save(self) -> None:
        """Fold the journal into the snapshot (atomic), then empty the journal."""
        if self._journal is not None:
            os.fsync(self._journal.fileno())
            self._journal.close()
            self._journal = None
        self.folder.mkdir(parents=True, exist_ok=True)
        data = {"version": VERSION, "targets": {t: dict(sorted(v.items())) for t, v in sorted(self._all.items())}}
        write_atomic(self.snapshot, json.dumps(data, indent=1, ensure_ascii=False).encode("utf-8"), durable=True)
        self.journal_path.unlink(missing_ok=True)
