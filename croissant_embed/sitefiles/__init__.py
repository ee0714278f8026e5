"""The only package that reads and writes the site's files.

Pages are decoded with the encoding they declare (BOM, then ``<meta charset>``, then
UTF-8, then Windows-1252 as browsers do) and written back in that same encoding, byte for
byte outside the insertions. Writes are atomic: a temporary file in the same folder, then
``os.replace`` (with an fsync first for the files that must survive a power loss), so a killed
build never leaves a truncated file. Pages are written by :mod:`.pages`, which swaps instead of
renaming so that it need not make a new file for each.
"""

from __future__ import annotations

import codecs
import errno
import functools
import mimetypes
import os
import re
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Iterator
from urllib.parse import unquote

from ..errors import DiskFull, SiteError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
# the UTF-16 codecs of one byte order keep the BOM as U+FEFF in the text, so it is written back as it was
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_ASCII_PROBE = bytes(range(0x20, 0x7F)) + b"\t\n\r\\u0041"
MAX_PAGE_BYTES = 64 * 1024 * 1024
_NO_SPACE = (errno.ENOSPC, errno.EDQUOT)


@dataclass(frozen=True)
class PageText:
    """A page's text and how to turn it back into the same bytes."""

    text: str
    encoding: str

    def encode(self, text: str) -> bytes:
        """``text`` in the page's encoding; characters it lacks become character references."""
        return text.encode(self.encoding, errors="xmlcharrefreplace")


def decode(data: bytes, rel_path: str) -> PageText:
    """The text of a page, or SiteError when it is not text."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return PageText(data.decode(encoding), encoding)
            except UnicodeDecodeError:
                break  # a BOM that lies: judge the bytes as if it were not there
    if b"\x00" in data[:8192]:
        raise SiteError("binary content (NUL bytes), not an HTML page", path=rel_path)
    declared = _META_CHARSET.search(data[:4096])
    candidates = [declared_encoding(declared.group(1))] if declared else []
    for encoding in [*filter(None, candidates), "utf-8", "cp1252"]:
        try:
            text = data.decode(encoding)
        except UnicodeError:
            continue
        if text.encode(encoding) == data:  # round-trips: writing back changes no byte
            return PageText(text, encoding)
    return PageText(data.decode("latin-1"), "latin-1")


@functools.lru_cache(maxsize=64)
def declared_encoding(label: bytes) -> str | None:
    """The codec a ``<meta charset>`` label names, if a page can be read and written in it.

    As in browsers, only encodings that read and write ASCII as ASCII count: a label naming
    a codec that is no text encoding at all (``base64``, ``rot13``, ``undefined``, ``idna``)
    or one that is not ASCII-compatible (``utf-16``, ``utf-7``) is ignored.
    """
    try:
        name = codecs.lookup(label.decode("ascii")).name
        ascii_text = _ASCII_PROBE.decode("ascii")
        if _ASCII_PROBE.decode(name) == ascii_text and ascii_text.encode(name) == _ASCII_PROBE:
            return name
    except (LookupError, ValueError, TypeError):  # UnicodeError is a ValueError
        pass
    return None


FileStat = tuple[int, int, int, int]
"""What tells a file's content apart without reading it: size, mtime and ctime (ns), inode."""


def file_stat(status: os.stat_result) -> FileStat:
    """The parts of a file's status that change whenever its content does."""
    return (status.st_size, status.st_mtime_ns, status.st_ctime_ns, status.st_ino)


def status_of(path: Path | str) -> FileStat | None:
    """The file's status as :func:`file_stat` gives it, links not followed; None for a file gone or unreadable."""
    try:
        return file_stat(os.stat(path, follow_symlinks=False))
    except OSError:
        return None


def read_page(path: Path | str, rel_path: str) -> tuple[bytes, os.stat_result]:
    """The bytes of a page and its status as it was read (refusing pages over the size limit)."""
    try:
        with open(path, "rb") as handle:
            status = os.fstat(handle.fileno())
            if status.st_size > MAX_PAGE_BYTES:
                raise SiteError(f"{status.st_size:,} bytes is over the {MAX_PAGE_BYTES:,}-byte page limit; exclude it", path=rel_path)
            return handle.read(), status
    except OSError as exc:
        raise SiteError(f"cannot be read ({exc.strerror})", path=rel_path) from exc


def read_bytes(path: Path | str, rel_path: str) -> bytes:
    """The bytes of a page (refusing pages over the size limit)."""
    return read_page(path, rel_path)[0]


@contextmanager
def atomic_file(path: Path | str, mode: str = "wb", *, durable: bool = False) -> Iterator[IO[Any]]:
    """A stream whose content replaces ``path`` atomically when the block ends without error.

    It writes a temporary file beside the target, keeps the target's permission bits, and
    renames it into place: readers and a killed process never see a half-written file, and
    a failure removes the temporary file. ``durable`` adds an fsync for files that must also
    survive a power loss (the state). Open with ``"w"`` for text (UTF-8).
    """
    path = Path(path)
    with _errors_of_writing(str(path)):
        permissions = path.stat().st_mode & 0o7777 if path.exists() else 0o644
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".croissant-tmp", dir=path.parent)
        try:
            with os.fdopen(handle, mode, **({} if "b" in mode else {"encoding": "utf-8"})) as out:
                yield out
                if durable:
                    out.flush()
                    os.fsync(out.fileno())
            os.chmod(temporary, permissions)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise


@contextmanager
def _errors_of_writing(path: str) -> Iterator[None]:
    """A failed write as the build's own error: a full disk (which every later write would meet too), or this file."""
    try:
        yield
    except OSError as exc:
        if exc.errno in _NO_SPACE:
            raise DiskFull(f"cannot be written: the disk is full ({exc.strerror}); free some space and run again "
                           "(every file written so far is complete)", path=path) from exc
        raise SiteError(f"cannot be written ({exc.strerror})", path=path) from exc


def write_atomic(path: Path | str, data: bytes, *, durable: bool = False) -> None:
    """Replace ``path`` with ``data`` atomically (see :func:`atomic_file`)."""
    with atomic_file(path, durable=durable) as out:
        out.write(data)


OUTPUT_MARKER = ".croissant-embed-output"
"""The file that marks a folder as ``build --out``'s own output (so it may be replaced)."""
_TEMPORARY = re.compile(r"^\..+\.[a-z0-9_]{8}\.croissant-tmp$")


def output_folder_problems(source: Path, target: Path, *, state_dir: Path, cwd: Path) -> list[str]:
    """Why ``target`` may not receive a copy of the site (an empty list when it may).

    ``--out`` replaces its folder on every build, so it only ever replaces a folder it made
    itself (recognised by its marker file), or fills an empty or new one. It never takes
    the site, a folder holding the site or the state, or the current folder.
    """
    if target.is_symlink():
        return [f"--out {target}: is a symbolic link; give the real folder"]
    out, site, state = target.resolve(), source.resolve(), state_dir.resolve()
    fix = "give a new or empty folder for the processed copy (e.g. build/site)"
    if out == site or site in out.parents:
        return [f"--out {target}: is the site folder or inside it; {fix}"]
    if out in site.parents:
        return [f"--out {target}: holds the site folder {source}; {fix}"]
    if out == state or out in state.parents:
        return [f"--out {target}: holds the state folder {state_dir}; {fix}"]
    if out == cwd.resolve():
        return [f"--out {target}: is the current folder; {fix}"]
    if out.exists() and not out.is_dir():
        return [f"--out {target}: is a file; {fix}"]
    if out.is_dir() and not (out / OUTPUT_MARKER).is_file() and any(out.iterdir()):
        return [
            f"--out {target}: is not empty and was not made by croissant-embed (no {OUTPUT_MARKER} in it), "
            f"so it is never replaced; {fix}, or empty it yourself"
        ]
    return []


def replace_output_folder(source: Path, target: Path) -> None:
    """Copy the site to ``target``, replacing the earlier output only once the copy is whole.

    The caller has checked ``target`` with :func:`output_folder_problems`. The copy goes to a
    temporary sibling first, so a failed copy leaves the previous output in place.
    """
    target = Path(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".croissant-tmp", dir=target.parent))
        try:
            shutil.copytree(source, staging / "site", symlinks=True)
            (staging / "site" / OUTPUT_MARKER).write_text(
                "Written by croissant-embed build --out: this folder is replaced on every build.\n", encoding="utf-8"
            )
            if target.exists():
                shutil.rmtree(target)
            os.replace(staging / "site", target)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    except OSError as exc:
        raise SiteError(f"cannot copy the site there ({exc.strerror or exc})", path=str(target)) from exc


def is_stale_temporary(entry: os.DirEntry[str]) -> bool:
    """Whether a folder entry is the temporary file of an atomic write (left behind when found outside one)."""
    return bool(_TEMPORARY.match(entry.name)) and entry.is_file(follow_symlinks=False)


@dataclass(frozen=True)
class StaticFile:
    """A file to serve, or a redirect to the folder URL (``/a`` -> ``/a/``)."""

    content: bytes = b""
    content_type: str = "application/octet-stream"
    redirect: str | None = None


def _confined(base: Path, target: Path) -> Path | None:
    """``target`` with every link resolved, or None when that leads outside ``base``."""
    resolved = target.resolve()
    return resolved if resolved == base or base in resolved.parents else None


def static_file(root: Path, url_path: str) -> StaticFile | None:
    """The file a URL path names under ``root`` (``index.html`` for folders), or None.

    The path is confined to ``root``: ``..``, backslashes, NUL and links out are refused,
    and the file finally read (after adding ``index.html``) is confined too, since that
    file may itself be a link. A path the system cannot look up (too long) is None.
    """
    raw = url_path.split("?", 1)[0]
    path = unquote(raw)
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if any(part == ".." or "\\" in part or "\x00" in part for part in parts):
        return None
    base = root.resolve()
    try:
        found = _confined(base, base.joinpath(*parts))
        if found is not None and found.is_dir():
            if not path.endswith("/"):
                # from the raw path, with one leading slash: never "//host/", another site
                return StaticFile(redirect="/" + raw.lstrip("/") + "/")
            found = _confined(base, found / "index.html")
        if found is None or not found.is_file():
            return None
        content = found.read_bytes()
    except (OSError, ValueError, RuntimeError):  # RuntimeError: a link loop, before Python 3.13
        return None
    content_type = mimetypes.guess_type(found.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
        content_type += "; charset=utf-8"
    return StaticFile(content, content_type)
