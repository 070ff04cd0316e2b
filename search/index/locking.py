"""File locks between processes that the kernel drops when the holder dies, even by SIGKILL.

So a killed indexer never leaves a stale lock behind. Where `fcntl` is missing (Windows)
locks always succeed: one writer at a time is then the user's business.
"""
from __future__ import annotations

import errno
import os
import time
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not POSIX
    fcntl = None

_BUSY = {errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK}


class FileLock:
    """An exclusive (writer) or shared (reader) lock on a file, taken with a timeout."""

    def __init__(self, path: Path, shared: bool = False):
        self.path = Path(path)
        self.shared = shared
        self.fd: int | None = None

    def acquire(self, timeout: float = 0.0, create: bool = True) -> bool:
        """True when held; False when another process holds it past the timeout.

        Raises OSError when the lock file cannot be opened (e.g. a read-only folder)."""
        if self.fd is not None:
            return True
        flags = (os.O_RDWR | os.O_CREAT) if create else os.O_RDONLY
        fd = os.open(self.path, flags, 0o644)
        if fcntl is None:
            self.fd = fd
            return True
        mode = (fcntl.LOCK_SH if self.shared else fcntl.LOCK_EX) | fcntl.LOCK_NB
        # Writers take a POSIX lock: unlike flock it is not inherited by forked children
        # (Whoosh's parallel writer), which could outlive a killed parent and keep it.
        take = fcntl.lockf if (not self.shared and create) else fcntl.flock
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                take(fd, mode)
                self.fd = fd
                return True
            except OSError as e:
                if e.errno not in _BUSY:
                    os.close(fd)
                    raise
            if time.monotonic() >= deadline:
                os.close(fd)
                return False
            time.sleep(0.05)

    def still_names_file(self) -> bool:
        """The locked file is still the one at the path (not deleted and replaced meanwhile)."""
        if self.fd is None:
            return False
        try:
            a, b = os.fstat(self.fd), os.stat(self.path)
        except OSError:
            return False
        return (a.st_dev, a.st_ino) == (b.st_dev, b.st_ino)

    def release(self) -> None:
        if self.fd is not None:
            fd, self.fd = self.fd, None
            os.close(fd)          # closing the file drops the lock

    def __del__(self):
        self.release()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.release()
