"""The two checks on every file the generator reads: it is a regular file, and a file a spec
refers to is inside the folder the spec may reach.

* :func:`open_regular` opens a file for reading, or raises a located error at once for
  anything that is not a regular file: a folder, a FIFO, a socket or a device (``/dev/zero``,
  ``/dev/stdin``) would otherwise hang a read or never end. The file is opened without
  blocking and checked on the open descriptor, so it cannot be swapped in between.
* :func:`check_reach` refuses a path that, with every symlink followed, is not under a root
  folder: a spec may refer to files beside it and below, never to the user's other files.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import BinaryIO

from ..errors import GeneratorError, Problem

__all__ = ["check_reach", "open_regular", "real_path"]

_KINDS = (
    (stat.S_ISDIR, "a folder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def open_regular(path: str | Path, shown: str | None = None) -> BinaryIO:
    """``path`` opened for reading in binary mode; a :class:`GeneratorError` naming the file
    (as ``shown``) if it is not a regular file or cannot be opened."""
    name = str(path) if shown is None else shown
    try:
        _require_regular(os.stat(path).st_mode, name)  # before opening: opening has effects
        flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
        descriptor = os.open(path, flags | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise GeneratorError([Problem(name, "", f"cannot read file: {reason}")]) from None
    except ValueError as exc:  # e.g. a path with a NUL byte in it
        raise GeneratorError([Problem(name, "", f"cannot read file: {exc}")]) from None
    try:
        _require_regular(os.fstat(descriptor).st_mode, name)
        if hasattr(os, "set_blocking"):
            os.set_blocking(descriptor, True)
    except BaseException:
        os.close(descriptor)
        raise
    return os.fdopen(descriptor, "rb")


def _require_regular(mode: int, name: str) -> None:
    if stat.S_ISREG(mode):
        return
    kind = next((text for test, text in _KINDS if test(mode)), "not a regular file")
    message = f"cannot read file: it is {kind}, not a regular file"
    raise GeneratorError([Problem(name, "", message)])


def real_path(path: Path) -> Path:
    """``path`` with every symlink followed (as far as they lead)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a symlink loop: the file will fail to read anyway
        return path.absolute()


def check_reach(path: Path, root: Path) -> str | None:
    """Why ``path`` may not be read when only files under ``root`` may, or None when it may.

    Both are compared with every symlink followed, so a link inside the folder that leads
    out of it is refused like a ``../`` path.
    """
    target, folder = real_path(path), real_path(root)
    if target.is_relative_to(folder):
        return None
    return f"it is outside {folder}, the folder this spec may read from"
