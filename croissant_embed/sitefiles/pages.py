"""Replacing pages atomically without making a new file for each.

Renaming a new file over a page is atomic, but it makes a file (an inode) for every page and
frees the old one, and on some file systems that is most of what a build costs: ext4 without
a journal searches past every recently freed inode for each new one it makes (0.5 ms a page
over a 10,000-page store here, against 0.05 ms to rewrite a file in place). A
:class:`PageWriter` instead swaps its temporary file with the page in one atomic step
(``renameat2`` with ``RENAME_EXCHANGE``): the page's name then holds the new bytes, and the
temporary name the page's old file, whose storage the next page's bytes reuse. Readers and
a killed build still never see a half-written page.

An old file is reused only where nobody can tell: a regular file of this user with a single
link, no extended attributes (ACLs, security labels), and open in no other process (checked
by taking a write lease, which the kernel grants only then; a reader that opens it later can
only reach it by the temporary name). Otherwise, and on systems without these calls, the old
file is dropped and a new temporary file made, as a plain rename would.
"""

from __future__ import annotations

import ctypes
import errno
import fcntl
import functools
import os
import signal
import stat
import sys
from typing import Callable

from . import _errors_of_writing

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2
_UNSUPPORTED = (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP)


class PageWriter:
    """Writes pages atomically, each into the old file of the page written before it when that is safe.

    One per process; :meth:`release` removes the temporary file it keeps between pages.
    """

    def __init__(self) -> None:
        self._spare: str | None = None  # our temporary name, holding the file the last page replaced
        self._exchange = True  # until the system refuses a swap (no renameat2, or a file system without it)

    def write(self, path: str, data: bytes, *, permissions: int) -> os.stat_result | None:
        """Replace the page at ``path`` (which exists) with ``data``; the new file's status, or None if not taken."""
        with _errors_of_writing(path):
            spare = self._take_spare()
            if spare is not None:
                try:
                    return self._replace(*spare, path, data, permissions)
                except OSError as exc:
                    if exc.errno != errno.EXDEV:
                        raise
                    # the kept file lies on another file system than this page: a new temporary file beside the page
            return self._replace(*_new_temporary(path), path, data, permissions)

    def release(self) -> None:
        """Remove the temporary file kept for the next page (the old file of the last page replaced)."""
        spare, self._spare = self._spare, None
        if spare is not None:
            _unlink(spare)

    def _take_spare(self) -> tuple[int, str] | None:
        """The kept file opened for writing, if nobody else can tell it is reused; else it is removed."""
        spare, self._spare = self._spare, None
        if spare is None:
            return None
        try:
            # non-blocking: a file leased by another process (a file server) is refused at once instead of waited on
            handle = os.open(spare, os.O_WRONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
        except OSError:
            _unlink(spare)
            return None
        if _only_ours(handle):
            return handle, spare
        os.close(handle)
        _unlink(spare)
        return None

    def _replace(self, handle: int, temporary: str, path: str, data: bytes, permissions: int) -> os.stat_result | None:
        """Fill the temporary file and put it in the page's place; its status (None if it cannot be taken)."""
        keep = True  # whether the temporary name still holds our file, to remove on a failure
        try:
            try:
                left = memoryview(data)
                while left:
                    left = left[os.write(handle, left):]
                os.ftruncate(handle, len(data))  # a reused file may have been longer
                os.fchmod(handle, permissions)
                if self._swap(temporary, path):
                    keep = False
                    self._keep_old_file(temporary, path)
                else:
                    os.replace(temporary, path)
            except BaseException:
                if keep:
                    _unlink(temporary)
                raise
            try:
                # the status of what now stands at ``path`` (a rename changes the file's ctime), without a second lookup
                return os.fstat(handle)
            except OSError:  # written, but its status not taken: the next build reads it again
                return None
        finally:
            os.close(handle)

    def _swap(self, temporary: str, path: str) -> bool:
        """Exchange the temporary file and the page; False where the system cannot (then a rename does)."""
        if not self._exchange:
            return False
        error = _exchange(temporary, path)
        if error in _UNSUPPORTED:
            self._exchange = False
        if error in _UNSUPPORTED or error == errno.ENOENT:  # unsupported, or the page is gone: a rename puts it back
            return False
        if error:
            raise OSError(error, os.strerror(error), path)
        return True

    def _keep_old_file(self, temporary: str, path: str) -> None:
        """Keep what the page's name held, now at the temporary name, for the next page; put back what is no file."""
        try:
            old = os.lstat(temporary)
        except OSError:
            return
        if stat.S_ISREG(old.st_mode):
            self._spare = temporary
            return
        # a folder or a link was put where the page stood while the build ran: it goes back, untouched
        if _exchange(temporary, path) == 0:
            _unlink(temporary)
            raise OSError(errno.EEXIST, "replaced by something that is not a file while the build ran", path)
        raise OSError(errno.EEXIST, f"replaced by something that is not a file while the build ran; it now stands at {temporary}", path)


def _new_temporary(path: str) -> tuple[int, str]:
    """A new temporary file beside ``path``, opened for writing, with the name stale ones are recognised by."""
    folder, name = os.path.split(path)
    while True:
        temporary = os.path.join(folder, f".{name}.{os.urandom(4).hex()}.croissant-tmp")
        try:
            return os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_CLOEXEC, 0o600), temporary
        except FileExistsError:
            continue


def _only_ours(handle: int) -> bool:
    """Whether an open file may take another page's bytes unseen: ours, one link, no attributes, open nowhere else."""
    try:
        status = os.fstat(handle)
        if not stat.S_ISREG(status.st_mode) or status.st_nlink != 1 or status.st_uid != os.geteuid():
            return False
        if _has_attributes(handle):
            return False
        # a write lease is granted only while no other process has the file open; released at once, it is only that test
        fcntl.fcntl(handle, fcntl.F_SETSIG, signal.SIGWINCH)  # were it broken meanwhile, a signal ignored by default
        fcntl.fcntl(handle, fcntl.F_SETLEASE, fcntl.F_WRLCK)
        fcntl.fcntl(handle, fcntl.F_SETLEASE, fcntl.F_UNLCK)
    except (OSError, AttributeError):  # AttributeError: a system without leases
        return False
    return True


def _has_attributes(handle: int) -> bool:
    """Whether the file carries extended attributes (which belong to the page it was, not the next one)."""
    try:
        return bool(os.listxattr(handle))
    except OSError as exc:
        return exc.errno not in _UNSUPPORTED


@functools.cache
def _renameat2() -> Callable[..., int] | None:
    """The C library's ``renameat2``, or None where there is none (not Linux, an old C library)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        function = ctypes.CDLL(None, use_errno=True).renameat2
    except (OSError, AttributeError):
        return None
    function.argtypes = (ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint)
    function.restype = ctypes.c_int
    return function


def _exchange(first: str, second: str) -> int:
    """Swap two names atomically; 0, or the error number."""
    function = _renameat2()
    if function is None:
        return errno.ENOSYS
    if function(_AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE) == 0:
        return 0
    return ctypes.get_errno()


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
