"""The sandbox's SQLite store: products, carts and a log of requests."""

from __future__ import annotations

import json
import sqlite3
import threading
from datetime import datetime, timezone
from typing import Any, Iterator

_SCHEMA = """
CREATE TABLE IF NOT EXISTS products (
    id TEXT PRIMARY KEY, payload TEXT NOT NULL, puts INTEGER NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS carts (
    id TEXT PRIMARY KEY, payload TEXT NOT NULL, state TEXT NOT NULL,
    created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS requests (
    seq INTEGER PRIMARY KEY AUTOINCREMENT, method TEXT NOT NULL, path TEXT NOT NULL,
    status INTEGER NOT NULL, at TEXT NOT NULL);
"""

CART_STATES = ("created", "fulfilled", "cancelled")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


class SandboxStore:
    """Thread-safe access to the sandbox database (a file path or ``:memory:``).

    ``max_pages`` caps the database's size in pages (SQLite's ``max_page_count``), to
    rehearse a full disk: writes that need more room fail as they would then.
    """

    def __init__(self, path: str = ":memory:", *, max_pages: int | None = None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        if max_pages is not None:
            self._db.execute(f"PRAGMA max_page_count = {int(max_pages)}")

    def close(self) -> None:
        """Close the database."""
        with self._lock:
            self._db.close()

    # products
    def put_product(self, product_id: str, payload: dict[str, Any]) -> bool:
        """Upsert a product; True when it was created."""
        text = json.dumps(payload, sort_keys=True, ensure_ascii=False)
        now = _now()
        with self._lock:
            cursor = self._db.execute(
                "UPDATE products SET payload = ?, puts = puts + 1, updated_at = ? WHERE id = ?",
                (text, now, product_id),
            )
            if cursor.rowcount:
                return False
            self._db.execute(
                "INSERT INTO products (id, payload, created_at, updated_at) VALUES (?, ?, ?, ?)",
                (product_id, text, now, now),
            )
            return True

    def get_product(self, product_id: str) -> dict[str, Any] | None:
        """The stored payload of a product, or None."""
        with self._lock:
            row = self._db.execute("SELECT payload FROM products WHERE id = ?", (product_id,)).fetchone()
        return None if row is None else json.loads(row[0])

    def products(self) -> Iterator[tuple[str, dict[str, Any], int]]:
        """Every product as (id, payload, number of PUTs received)."""
        with self._lock:
            rows = self._db.execute("SELECT id, payload, puts FROM products ORDER BY id").fetchall()
        for product_id, payload, puts in rows:
            yield product_id, json.loads(payload), puts

    # carts
    def create_cart(self, cart: dict[str, Any]) -> tuple[dict[str, Any], bool]:
        """Insert a cart unless one with its id exists; returns (stored cart, created)."""
        now = _now()
        with self._lock:
            row = self._db.execute("SELECT payload, state FROM carts WHERE id = ?", (cart["id"],)).fetchone()
            if row is not None:
                return {**json.loads(row[0]), "state": row[1]}, False
            self._db.execute(
                "INSERT INTO carts (id, payload, state, created_at, updated_at) VALUES (?, ?, 'created', ?, ?)",
                (cart["id"], json.dumps(cart, sort_keys=True, ensure_ascii=False), now, now),
            )
        return {**cart, "state": "created"}, True

    def get_cart(self, cart_id: str) -> dict[str, Any] | None:
        """The stored cart with its ``state``, or None."""
        with self._lock:
            row = self._db.execute("SELECT payload, state FROM carts WHERE id = ?", (cart_id,)).fetchone()
        return None if row is None else {**json.loads(row[0]), "state": row[1]}

    def set_cart_state(self, cart_id: str, state: str) -> None:
        """Move a cart to ``state`` whatever its state now (for setting up a scene)."""
        with self._lock:
            self._db.execute("UPDATE carts SET state = ?, updated_at = ? WHERE id = ?", (state, _now(), cart_id))

    def move_cart(self, cart_id: str, state: str) -> tuple[dict[str, Any] | None, bool]:
        """Move a ``created`` cart (or one already in ``state``) to ``state``: (cart now, moved).

        One conditional UPDATE, so of two concurrent moves to different states exactly one
        wins, even between processes sharing the database file.
        """
        with self._lock:
            moved = self._db.execute(
                "UPDATE carts SET state = ?, updated_at = ? WHERE id = ? AND state IN ('created', ?)",
                (state, _now(), cart_id, state),
            ).rowcount
            row = self._db.execute("SELECT payload, state FROM carts WHERE id = ?", (cart_id,)).fetchone()
        return (None if row is None else {**json.loads(row[0]), "state": row[1]}), moved == 1

    def carts(self) -> list[dict[str, Any]]:
        """Every cart with its state."""
        with self._lock:
            rows = self._db.execute("SELECT payload, state FROM carts ORDER BY created_at, id").fetchall()
        return [{**json.loads(payload), "state": state} for payload, state in rows]

    # request log
    def log_request(self, method: str, path: str, status: int) -> None:
        """Record one answered request, if the database can take it (a full one still answers)."""
        with self._lock:
            try:
                self._db.execute(
                    "INSERT INTO requests (method, path, status, at) VALUES (?, ?, ?, ?)", (method, path, status, _now())
                )
            except sqlite3.Error:
                pass  # the log is for inspection; losing a line must not turn an answer into an error

    def request_count(self, method: str | None = None, prefix: str = "") -> int:
        """How many requests were answered, optionally of one method under a path prefix."""
        query = "SELECT COUNT(*) FROM requests WHERE path LIKE ? ESCAPE '\\'"
        args: list[Any] = [prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"]
        if method:
            query += " AND method = ?"
            args.append(method)
        with self._lock:
            return int(self._db.execute(query, args).fetchone()[0])
