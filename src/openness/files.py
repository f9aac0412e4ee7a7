"""Files a command writes (--out, a site folder): only regular files, replaced whole, mode kept.

Below every other package, like errors.py and text.py. A command's output may only replace a regular
file (its mode kept) or create a new one: a FIFO, a device node, a socket, a folder and a symbolic
link (even one to a regular file) are refused with exit 2, so `--out /dev/sda` or `--out link` never
replaces what is there with a regular file.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from .errors import OpennessError

_KINDS = ((stat.S_ISFIFO, "a named pipe (FIFO)"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def check_output(out: Path | str) -> int | None:
    """Refuse an output path that is not a regular file or absent; the mode of the file it replaces.

    Checked with lstat, so a symbolic link is refused as a link (never followed)."""
    out = Path(out)
    try:
        info = os.lstat(out)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OpennessError(f"{out}: cannot write: {exc.strerror}") from None
    if stat.S_ISLNK(info.st_mode):
        raise OpennessError(f"{out}: is a symbolic link; give the path of a regular file (nothing was written)")
    for test, kind in _KINDS:
        if test(info.st_mode):
            raise OpennessError(f"{out}: is {kind}, not a regular file (nothing was written)")
    return stat.S_IMODE(info.st_mode)


def write_atomically(out: Path | str, content: str | bytes) -> None:
    """Write to a temporary file beside `out`, then move it into place (nothing half written).

    An existing regular file keeps its mode; a new file gets the mode the umask allows."""
    out = Path(out)
    mode = check_output(out)
    data = content.encode("utf-8") if isinstance(content, str) else content
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    except OSError as exc:
        raise OpennessError(f"{out}: cannot write: {exc.strerror}") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        if mode is None:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask   # mkstemp makes the file private; outputs are ordinary files
        os.chmod(tmp, mode)
        check_output(out)           # nothing became a link or a FIFO meanwhile
        os.replace(tmp, out)
    except BaseException as exc:
        Path(tmp).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OpennessError(f"{out}: cannot write: {exc.strerror or exc}") from None
        raise
