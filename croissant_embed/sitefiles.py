"""The only module that reads and writes the site's files.

Pages are decoded with the encoding they declare (BOM, then ``<meta charset>``, then
UTF-8, then Windows-1252 as browsers do) and written back in that same encoding, byte for
byte outside the insertions. Writes are atomic: a temporary file in the same folder, fsync,
then ``os.replace``, so a killed build never leaves a truncated page.
"""

from __future__ import annotations

import codecs
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

from .errors import SiteError

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([\w.:-]+)""", re.I)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
MAX_PAGE_BYTES = 64 * 1024 * 1024


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
            return PageText(data.decode(encoding), encoding)
    if b"\x00" in data[:8192]:
        raise SiteError("binary content (NUL bytes), not an HTML page", path=rel_path)
    declared = _META_CHARSET.search(data[:4096])
    candidates = []
    if declared:
        try:
            candidates.append(codecs.lookup(declared.group(1).decode("ascii")).name)
        except (LookupError, UnicodeDecodeError):
            pass
    candidates += ["utf-8", "cp1252"]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if text.encode(encoding) == data:  # round-trips: writing back changes no byte
            return PageText(text, encoding)
    return PageText(data.decode("latin-1"), "latin-1")


def read_bytes(path: Path | str, rel_path: str) -> bytes:
    """The bytes of a page (refusing pages over the size limit)."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_PAGE_BYTES:
                raise SiteError(f"{size:,} bytes is over the {MAX_PAGE_BYTES:,}-byte page limit; exclude it", path=rel_path)
            return handle.read()
    except OSError as exc:
        raise SiteError(f"cannot be read ({exc.strerror})", path=rel_path) from exc


@contextmanager
def atomic_file(path: Path | str, mode: str = "wb", *, durable: bool = False) -> Iterator[IO[Any]]:
    """A stream whose content replaces ``path`` atomically when the block ends without error.

    It writes a temporary file beside the target, keeps the target's permission bits, and
    renames it into place: readers and a killed process never see a half-written file, and
    a failure removes the temporary file. ``durable`` adds an fsync for files that must also
    survive a power loss (the state). Open with ``"w"`` for text (UTF-8).
    """
    path = Path(path)
    try:
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
    except OSError as exc:
        raise SiteError(f"cannot be written ({exc.strerror})", path=str(path)) from exc


def write_atomic(path: Path | str, data: bytes, *, durable: bool = False) -> None:
    """Replace ``path`` with ``data`` atomically (see :func:`atomic_file`)."""
    with atomic_file(path, durable=durable) as out:
        out.write(data)


def copy_site(source: Path, target: Path) -> None:
    """Copy a built site to ``target`` (for builds into a separate folder)."""
    if target.resolve() == source.resolve() or source.resolve() in target.resolve().parents:
        raise SiteError(f"the output folder {target} must not be the site folder or inside it")
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target, symlinks=True)


def remove_stale_temporaries(site: Path) -> int:
    """Delete temporary files a killed build left behind; returns how many."""
    removed = 0
    for leftover in site.rglob("*.croissant-tmp"):
        if leftover.is_file() and not leftover.is_symlink():
            leftover.unlink()
            removed += 1
    return removed


@dataclass(frozen=True)
class StaticFile:
    """A file to serve, or a redirect to the folder URL (``/a`` -> ``/a/``)."""

    content: bytes = b""
    content_type: str = "application/octet-stream"
    redirect: str | None = None


def static_file(root: Path, url_path: str) -> StaticFile | None:
    """The file a URL path names under ``root`` (``index.html`` for folders), or None.

    The path is confined to ``root``: ``..``, encoded separators and links out are refused.
    """
    path = unquote(url_path.split("?", 1)[0])
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if any(part == ".." or "\\" in part or "\x00" in part for part in parts):
        return None
    base = root.resolve()
    target = base.joinpath(*parts)
    try:
        resolved = target.resolve()
    except OSError:
        return None
    if resolved != base and base not in resolved.parents:
        return None
    if resolved.is_dir():
        if not path.endswith("/"):
            return StaticFile(redirect=path + "/")
        resolved = resolved / "index.html"
    if not resolved.is_file():
        return None
    content_type = mimetypes.guess_type(resolved.name)[0] or "application/octet-stream"
    if content_type.startswith("text/") or content_type in ("application/javascript", "application/json"):
        content_type += "; charset=utf-8"
    return StaticFile(resolved.read_bytes(), content_type)
