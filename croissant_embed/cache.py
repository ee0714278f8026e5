"""The analysis cache: what each page held, keyed by a hash of its bytes.

A rebuild whose generator wrote the same pages again (same paths, same bytes) finds every page here and skips the
extract stage; a page whose exact bytes were already final ("stable": injected by an
earlier run, or needing nothing) skips rendering and writing too. Entries are valid only
for the same settings, templates and croissant-embed version (the fingerprint). The cache
is a SQLite file in the state folder: workers query it directly, so memory does not grow
with the size of the site, and it holds JSON, never pickle, so a tampered cache cannot run
code. Entries not seen by the last two builds are dropped.

A page whose bytes were final after a build is also known by its file's status (size,
mtime, ctime, inode) with what the build made of it: the next build finds an unchanged file
by a ``stat`` alone, without reading it. Its status is trusted only once it has settled
(its ctime older than the longest clock tick of file times when it was looked at), so a
change made within the same tick as the build saw the file is never missed.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
import time
from dataclasses import fields
from pathlib import Path
from typing import Any, Iterable, NamedTuple

from . import __version__
from .contract import FIELDS as _PRODUCT_FIELDS
from .contract import ProductRow, shared_sources
from .extract import PageAnalysis, Product
from .replay import Listing
from .report import PageRecord
from .sitefiles import FileStat, status_of

SCHEMA_VERSION = 4


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


def _product_json(found: Product) -> dict[str, Any]:
    # field by field: dataclasses.asdict deep-copies, a tenth of a page's analysis
    product: dict[str, Any] = {name: getattr(found, name) for name in _PRODUCT_FIELDS if getattr(found, name) is not None}
    if found.group_id is not None:
        product["group_id"] = found.group_id
    if found.attributes:
        product["attributes"] = found.attributes
    product["sources"] = dict(found.sources)
    return product


def _product(data: dict[str, Any]) -> Product:
    return Product(**{**data, "attributes": tuple((name, value) for name, value in data.get("attributes", ()))})


def to_entry(analysis: PageAnalysis) -> str:
    """A compact JSON form of an analysis."""
    product = None if analysis.product is None else _product_json(analysis.product)
    return json.dumps(
        [analysis.status, analysis.reason, product, analysis.product_id, analysis.sources, list(analysis.problems),
         list(analysis.warnings), analysis.head_at, analysis.pdp_at, analysis.checkout_at, analysis.language,
         [list(pair) for pair in analysis.alternates], [_product_json(v) for v in analysis.variants],
         [[vid, list(problems)] for vid, problems in analysis.invalid_variants], analysis.placement],
        separators=(",", ":"), ensure_ascii=False,
    )


def from_entry(entry: str) -> PageAnalysis:
    """The analysis back from its JSON form."""
    (status, reason, product, product_id, sources, problems, warnings, head_at, pdp_at, checkout_at,
     language, alternates, variants, invalid_variants, placement) = json.loads(entry)
    return PageAnalysis(
        status, reason, _product(product) if product else None, product_id, sources,
        tuple(problems), tuple(warnings), head_at, pdp_at, checkout_at, language, tuple((lang, href) for lang, href in alternates),
        tuple(_product(v) for v in variants), tuple((vid, tuple(found)) for vid, found in invalid_variants), placement,
    )


_FIELD_NAMES = {kind: tuple(f.name for f in fields(kind)) for kind in (PageRecord, ProductRow)}
_RECORD_FIELDS = _FIELD_NAMES[PageRecord][1:]  # all but the path, which the file's own row holds


def field_values(value: PageRecord | ProductRow) -> tuple[Any, ...]:
    """A record's or row's fields in order, as they are (``dataclasses.astuple`` copies them deeply)."""
    return tuple(getattr(value, name) for name in _FIELD_NAMES[type(value)])


def outcome_json(record: PageRecord, products: tuple[ProductRow, ...], invalid: bool) -> str:
    """What a build made of a page, as a file's row keeps it for the next build (:func:`outcome_from_json`)."""
    return json.dumps(
        [[getattr(record, name) for name in _RECORD_FIELDS], invalid,
         [[row.id, row.payload_json, row.hash, row.sources, row.language, row.alternates, row.market] for row in products]],
        separators=(",", ":"), ensure_ascii=False,
    )


def outcome_from_json(rel: str, text: str) -> tuple[PageRecord, tuple[ProductRow, ...], bool]:
    """The page's record, its products' rows, and whether its analysis is needed (an invalid product)."""
    record, invalid, products = json.loads(text)
    # words that recur on every page are kept once, not once a page (a large site holds every outcome)
    rows = tuple(ProductRow(rel, product_id, payload, digest, shared_sources(sources), language and sys.intern(language),
                            tuple((lang, href) for lang, href in alternates), sys.intern(market))
                 for product_id, payload, digest, sources, language, alternates, market in products)
    values = dict(zip(_RECORD_FIELDS, record))
    values["status"] = sys.intern(values["status"])
    values["placement"] = sys.intern(values["placement"])  # it names the price shown, which many pages share
    values["warnings"] = tuple(values.get("warnings") or ())
    if rows and values.get("product_id") == rows[0].id:
        values["product_id"] = rows[0].id
    return PageRecord(rel, **values), rows, bool(invalid)


class CacheRow(NamedTuple):
    """What a build tells the cache about one page's bytes (a tuple: cheap to send from workers)."""

    key: str
    entry: str | None
    """The analysis as cached JSON, or None when the cache has this key already."""
    stable: bool
    """Whether these bytes were final: the next build has nothing to do for them."""


class FileRow(NamedTuple):
    """A page's file whose bytes a build left final (or, in a dry run, judged), and what the build made of it."""

    rel: str
    path: str
    stat: FileStat
    key: str
    """The cache key of the bytes the file holds."""
    entry_length: int
    """The length of that key's cached analysis: the row stands only while that entry is as it was."""
    stable: bool
    """Whether those bytes were final (a dry run also records pages that a real build would change)."""
    outcome: str
    """What the build made of the page, as JSON (:mod:`.process` reads it back)."""
    read_at: int
    """When the file's status was taken (``time.time_ns()``); 0 for a page this build wrote, looked at again later."""


_FILE_COLUMNS = {
    "rel": "TEXT PRIMARY KEY", "size": "INTEGER NOT NULL", "mtime": "INTEGER NOT NULL", "ctime": "INTEGER NOT NULL", "ino": "INTEGER NOT NULL",
    "key": "TEXT NOT NULL", "entry_length": "INTEGER NOT NULL", "stable": "INTEGER NOT NULL", "outcome": "TEXT NOT NULL", "build": "INTEGER NOT NULL",
}
SETTLED_NS = 50_000_000
"""A file unchanged for this long (more than any clock tick of file times) is known by its status."""
SETTLED_WHOLE_SECONDS_NS = 2_000_000_000
"""The same on file systems that keep whole seconds (FAT, HFS+, some network mounts)."""


def settled(stat: FileStat, at_ns: int) -> bool:
    """Whether a file's status taken at ``at_ns`` changes with any later write (its last change lies a whole tick before)."""
    ctime = stat[2]
    return ctime < at_ns - (SETTLED_WHOLE_SECONDS_NS if ctime % 1_000_000_000 == 0 else SETTLED_NS)


def _unchanged(path: str, stat: FileStat) -> bool:
    """Whether nobody wrote the file since its status was taken (a file gone or unreadable has changed)."""
    return status_of(path) == stat


# a row derived from a cached analysis that was damaged or replaced since does not count
_KNOWN_FILES = ("SELECT f.rel, f.size, f.mtime, f.ctime, f.ino, f.key, f.stable, f.outcome FROM files f JOIN pages p ON p.key = f.key "
                "WHERE length(p.entry) = f.entry_length")
_READ_AHEAD = 512
_BATCH = 64


class _FileRows:
    """The files table as the previous builds left it, read in the order its rows were stored.

    Rows are stored in site order, the order in which the walk asks for them, so reading
    them in a stream, a few hundred ahead, answers each page without a query of its own
    (a query costs as much as a small page's read). A page not among the rows ahead (a
    page changed since, stored later; or gone) is asked for alone. The stream reads one
    snapshot on its own connection, untouched by what this build writes meanwhile.
    """

    def __init__(self, path: Path) -> None:
        self._db = sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True, timeout=30, check_same_thread=False)
        self._stream: sqlite3.Cursor | None = self._db.execute(_KNOWN_FILES + " ORDER BY f.rowid")
        self._ahead: dict[str, tuple[Any, ...]] = {}

    def row(self, rel: str) -> tuple[Any, ...] | None:
        """(size, mtime, ctime, ino, key, stable, outcome) of a file, or None."""
        ahead = self._ahead
        found = ahead.pop(rel, None)
        while found is None and self._stream is not None and len(ahead) < _READ_AHEAD:
            rows = self._stream.fetchmany(_BATCH)
            if not rows:
                self._stream = None
            for row in rows:
                if row[0] == rel:
                    found = row[1:]
                else:
                    ahead[row[0]] = row[1:]
        if len(ahead) >= _READ_AHEAD:  # rows nobody asked for yet (pages gone, or moved): the oldest make room for a batch
            for _ in range(len(ahead) - _READ_AHEAD + _BATCH):
                del ahead[next(iter(ahead))]
        if found is None:
            found = self._db.execute(_KNOWN_FILES + " AND f.rel = ?", (rel,)).fetchone()
            found = found and found[1:]
        return found

    def close(self) -> None:
        """End the snapshot (before the build's writer prunes the table)."""
        self._stream = None
        self._db.close()


class CacheReader:
    """Read-only access to the cache file, opened lazily (one per worker process)."""

    def __init__(self, path: Path, *, empty: bool = False) -> None:
        self.path = path
        self.empty = empty
        """Whether the cache held nothing when the build began (then no page can be found in it)."""
        self._db: sqlite3.Connection | None = None

    def get(self, key: str) -> tuple[str, bool] | None:
        """(entry, stable) for a page's key, or None."""
        if self.empty:
            return None
        if self._db is None:
            if not self.path.is_file():  # no build has written a cache yet
                return None
            uri = self.path.resolve().as_uri() + "?mode=ro"  # quoted: '#', '?' and '%' are legal in folder names
            self._db = sqlite3.connect(uri, uri=True, timeout=30, check_same_thread=False)
        row = self._db.execute("SELECT entry, stable FROM pages WHERE key = ?", (key,)).fetchone()
        return None if row is None else (row[0], bool(row[1]))

    def __getstate__(self) -> dict[str, Any]:
        return {"path": self.path, "empty": self.empty, "_db": None}  # a connection never crosses a process boundary


class AnalysisCache:
    """The build's writer of the cache file: validates the fingerprint, stores, prunes."""

    def __init__(self, path: Path, fingerprint: str, *, outcomes: str = "") -> None:
        self.path = path
        self.fingerprint = fingerprint
        self._seen: list[str] = []
        self._recent: list[tuple[str, str, FileStat, int]] = []
        self.listing = Listing()
        """The pages this build leaves known by a settled status (what :mod:`.replay` compares the next build's with)."""
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), timeout=30, isolation_level=None, check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=OFF")
        self._db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        self._db.execute("CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, entry TEXT NOT NULL, stable INTEGER NOT NULL, build INTEGER NOT NULL)")
        if [column[1] for column in self._db.execute("PRAGMA table_info(files)")] not in ([], list(_FILE_COLUMNS)):
            self._db.execute("DROP TABLE files")  # kept by another version: its rows are only a shortcut
        self._db.execute(f"CREATE TABLE IF NOT EXISTS files ({', '.join(f'{name} {kind}' for name, kind in _FILE_COLUMNS.items())})")
        row = self._db.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
        if row is None or row[0] != fingerprint:
            self._db.execute("DELETE FROM pages")
            self._db.execute("DELETE FROM files")
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('fingerprint', ?)", (fingerprint,))
        row = self._db.execute("SELECT value FROM meta WHERE key = 'outcomes'").fetchone()
        if row is None or row[0] != outcomes:  # what a page's outcome depends on besides its analysis (payload fields, markets)
            self._db.execute("DELETE FROM files")
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('outcomes', ?)", (outcomes,))
        row = self._db.execute("SELECT value FROM meta WHERE key = 'build'").fetchone()
        self.build = int(row[0]) + 1 if row else 1
        self.empty = self._db.execute("SELECT 1 FROM pages LIMIT 1").fetchone() is None
        """Whether the cache held no analysis when the build began."""
        self._files = None if self._db.execute("SELECT 1 FROM files LIMIT 1").fetchone() is None else _FileRows(path)

    def known(self, rel: str, path: str, *, stable_only: bool) -> tuple[str, str, FileStat] | None:
        """(cache key, outcome, status) of a page whose file is exactly as an earlier build left it, told by its status alone.

        ``stable_only``: only a page whose bytes were final (a dry run may also reuse what it judged of others).
        """
        row = None if self._files is None else self._files.row(rel)
        if row is None or (stable_only and not row[5]):
            return None
        now = status_of(path)
        return (row[4], row[6], now) if now is not None and now == row[:4] else None

    def keep(self, rel: str, stat: FileStat) -> None:
        """Keep the row of a file this build found unchanged (the rows of the others are dropped at the end)."""
        self._seen.append(rel)
        self.listing.add(rel, stat)

    def entry(self, key: str) -> str | None:
        """The cached analysis of a key, or None."""
        row = self._db.execute("SELECT entry FROM pages WHERE key = ?", (key,)).fetchone()
        return None if row is None else row[0]

    def record(self, rows: Iterable[CacheRow | FileRow]) -> None:
        """Store the rows of the pages this build saw (an entry of None: a key already known), and their settled files."""
        known, new, files = [], [], []
        for row in rows:
            if isinstance(row, FileRow):
                files.append(row)
            elif row[1] is None:
                known.append((self.build, int(row[2]), row[0]))
            else:
                new.append((row[0], row[1], int(row[2]), self.build))
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("UPDATE pages SET build = ?, stable = ? WHERE key = ?", known)
            self._db.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?, ?)", new)
            for file in files:
                self._remember(file)

    def _remember(self, row: FileRow) -> None:
        """Keep a file's status once it has settled; a page just written is looked at again (at the end, at the latest).

        Rows are stored in site order, as the next build asks for them (:class:`_FileRows`): a
        page written too recently to be known by its status is stored at once, but marked as
        not to be trusted (no cached entry has a length of -1) until :meth:`finish` has looked again.
        """
        entry_length = row.entry_length
        if row.read_at:
            trusted = settled(row.stat, row.read_at)
        else:
            trusted = _unchanged(row.path, row.stat)
            if trusted and not settled(row.stat, time.time_ns()):
                self._recent.append((row.rel, row.path, row.stat, entry_length))
                entry_length = -1
        if trusted:
            self._db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             (row.rel, *row.stat, row.key, entry_length, int(row.stable), row.outcome, self.build))
            if entry_length != -1:
                self.listing.add(row.rel, row.stat)

    def _settle(self) -> tuple[list[tuple[int, str]], list[tuple[str]]]:
        """Of the pages written lately, the rows to trust (nobody wrote them since) and those to drop.

        The tick of the last pages written is waited out first (50 ms at most, and before the
        cache is locked for writing): they are then known by their status like every other, and
        the next build need not read them.
        """
        latest = max((stat[2] for _, _, stat, _ in self._recent if stat[2] % 1_000_000_000), default=None)
        if latest is not None and (wait := latest + SETTLED_NS - time.time_ns()) > 0:
            time.sleep(min(wait, SETTLED_NS) / 1e9 + 0.001)
        now = time.time_ns()
        trusted, dropped = [], []
        for rel, path, stat, entry_length in self._recent:
            if _unchanged(path, stat) and settled(stat, now):
                trusted.append((entry_length, rel))
                self.listing.add(rel, stat)
            else:
                dropped.append((rel,))
        return trusted, dropped

    def finish(self) -> None:
        """Keep the files seen unchanged, drop the others and entries older than the previous build, and close."""
        if self._files is not None:
            self._files.close()
        trusted, dropped = self._settle()
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("UPDATE files SET entry_length = ? WHERE rel = ?", trusted)
            self._db.executemany("DELETE FROM files WHERE rel = ?", dropped)
            # the files seen unchanged are listed apart rather than each row rewritten: a warm build writes next to nothing
            self._db.execute("CREATE TEMP TABLE seen (rel TEXT PRIMARY KEY)")
            self._db.executemany("INSERT OR IGNORE INTO seen VALUES (?)", ((rel,) for rel in self._seen))
            self._db.execute("DELETE FROM files WHERE build < ? AND rel NOT IN (SELECT rel FROM seen)", (self.build,))
            # an entry a known file still points to is kept, however long ago its page was read
            self._db.execute("DELETE FROM pages WHERE build < ? AND key NOT IN (SELECT key FROM files)", (self.build - 1,))
            self._db.execute("INSERT OR REPLACE INTO meta VALUES ('build', ?)", (str(self.build),))
        self._db.close()

