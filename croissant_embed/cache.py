"""The analysis cache: what each page held, keyed by a hash of its bytes.

A rebuild whose generator wrote the same pages again (same paths, same bytes) finds every page here and skips the
extract stage; a page whose exact bytes were already final ("stable": injected by an
earlier run, or needing nothing) skips rendering and writing too. Entries are valid only
for the same settings, templates and croissant-embed version (the fingerprint). The cache
is a SQLite file in the state folder: workers query it directly, so memory does not grow
with the size of the site, and it holds JSON, never pickle, so a tampered cache cannot run
code. Entries not seen by the last two builds are dropped.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from . import __version__
from .contract import FIELDS as _PRODUCT_FIELDS
from .extract import PageAnalysis, Product

SCHEMA_VERSION = 3


def page_key(rel_path: str, data: bytes) -> str:
    """The cache key of a page: its path in the site and its bytes.

    The path belongs in the key because the analysis depends on it (product URLs and relative
    image URLs resolve against the page's own URL): a page moved with the same bytes is new.
    """
    digest = hashlib.blake2b(rel_path.encode("utf-8", "surrogateescape"), digest_size=16)
    digest.update(b"\0")
    digest.update(data)
    return digest.hexdigest()


def fingerprint(*parts: object) -> str:
    """What cached results depend on besides the page itself."""
    return hashlib.blake2b(repr((__version__, SCHEMA_VERSION, parts)).encode("utf-8"), digest_size=16).hexdigest()


def to_entry(analysis: PageAnalysis) -> str:
    """A compact JSON form of an analysis."""
    product = None
    if analysis.product is not None:  # field by field: dataclasses.asdict deep-copies, a tenth of a page's analysis
        found = analysis.product
        product = {name: getattr(found, name) for name in _PRODUCT_FIELDS if getattr(found, name) is not None}
        product["sources"] = dict(found.sources)
    return json.dumps(
        [analysis.status, analysis.reason, product, analysis.product_id, analysis.sources, list(analysis.problems),
         list(analysis.warnings), analysis.head_at, analysis.pdp_at, analysis.checkout_at, analysis.language,
         [list(pair) for pair in analysis.alternates]],
        separators=(",", ":"), ensure_ascii=False,
    )


def from_entry(entry: str) -> PageAnalysis:
    """The analysis back from its JSON form."""
    (status, reason, product, product_id, sources, problems, warnings, head_at, pdp_at, checkout_at,
     language, alternates) = json.loads(entry)
    return PageAnalysis(
        status, reason, Product(**product) if product else None, product_id, sources,
        tuple(problems), tuple(warnings), head_at, pdp_at, checkout_at, language, tuple((lang, href) for lang, href in alternates),
    )


class CacheRow(NamedTuple):
    """What a build tells the cache about one page's bytes (a tuple: cheap to send from workers)."""

    key: str
    entry: str | None
    """The analysis as cached JSON, or None when the cache has this key already."""
    stable: bool
    """Whether these bytes were final: the next build has nothing to do for them."""


class CacheReader:
    """Read-only access to the cache file, opened lazily (one per worker process)."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None

    def get(self, key: str) -> tuple[str, bool] | None:
        """(entry, stable) for a page's key, or None."""
        if self._db is None:
            if not self.path.is_file():  # no build has written a cache yet
                return None
            uri = self.path.resolve().as_uri() + "?mode=ro"  # quoted: '#', '?' and '%' are legal in folder names
            self._db = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
        row = self._db.execute("SELECT entry, stable FROM pages WHERE key = ?", (key,)).fetchone()
        return None if row is None else (row[0], bool(row[1]))

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "_db": None}  # a connection never crosses a process boundary


class AnalysisCache:
    """The build's writer of the cache file: validates the fingerprint, stores, prunes."""

    def __init__(self, path: Path, fingerprint: str) -> None:
        self.path = path
        self.fingerprint = fingerprint
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        self._db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, entry TEXT NOT NULL, stable INTEGER NOT NULL, build INTEGER NOT NULL)")
        row = self._db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        if row is None or row[0] != fingerprint:
            self._db.execute("DELETE FROM pages")
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
        row = self._db.execute("SELECT value FROM meta WHERE key = 'build'").fetchone()
        self.build = int(row[0]) + 1 if row else 1

    def record(self, rows: Iterable[CacheRow]) -> None:
        """Store the rows of the pages this build saw (an entry of None: a key already known)."""
        with self._db:
            self._db.execute("BEGIN")
            for key, entry, stable in rows:
                if entry is None:
                    self._db.execute("UPDATE pages SET build = ?, stable = ? WHERE key = ?", (self.build, int(stable), key))
                else:
                    self._db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)", (key, entry, int(stable), self.build))

    def finish(self) -> None:
        """Drop entries older than the previous build and close."""
        with self._db:
            self._db.execute("BEGIN")
            self._db.execute("DELETE FROM pages WHERE build < ?", (self.build - 1,))
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (str(self.build),))
        self._db.close()

