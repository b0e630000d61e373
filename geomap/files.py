"""Writing files whole or not at all, and sets of files together or not at all.

Every file geomap writes (outputs, the gazetteer, the name-index cache, screenshots) goes through
here. A file is written to a temporary file beside its target and renamed over it; a set of
files (a map's HTML, PNG, PDF and GeoJSON) is written to a temporary folder beside its targets
and moved in under a lock, with a commit mark that lets the next run finish the move if the
process is killed half-way.

Temporary files and folders are named TEMP_PREFIX + host + process id + ..., so that what a
killed run left behind is recognisable: every later write into the same folder removes the
leftovers of processes that are no longer running (and finishes their committed sets).
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import secrets
import shutil
import socket
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

TEMP_PREFIX = ".geomap-tmp-"
# the commit mark inside a set's temporary folder: the names to move in, in order
COMMIT_MARK = "_commit.json"
# a leftover from another host cannot be checked for a live process; removed after this long
FOREIGN_TEMP_SECONDS = 24 * 3600
_HOST = hashlib.sha256(socket.gethostname().encode()).hexdigest()[:8]


class UnsafeName(OSError):
    """A file name that is a path ("../x", "a/b"), hidden, empty or otherwise not one plain name."""

    def __init__(self, name: str):
        super().__init__(errno.EINVAL, f"{name!r} is not a plain file name (no folders, no leading dot)")


def plain_name(name: str) -> str:
    """Return name if it names a file in a folder and nothing else; raise UnsafeName otherwise."""
    if (not name or name in (".", "..") or name.startswith(".") or "\x00" in name
            or "/" in name or "\\" in name or len(name.encode("utf-8", "surrogateescape")) > 200):
        raise UnsafeName(name)
    return name


def _temp_name(target: str, suffix: str = "") -> str:
    # host and process id let a later run tell a live writer's file from a dead one's
    return f"{TEMP_PREFIX}{_HOST}-{os.getpid()}-{secrets.token_hex(4)}-{target[:100]}{suffix}"


def make_temp(path: str | os.PathLike, suffix: str = ".tmp") -> Path:
    """Create and return an empty temporary file beside `path` (0666 less the umask)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_temps(path.parent)
    while True:
        tmp = path.with_name(_temp_name(path.name, suffix))
        try:
            # the usual permissions from the start, not mkstemp's private 0600
            os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
            return tmp
        except FileExistsError:
            continue


def make_temp_dir(path: str | os.PathLike) -> Path:
    """Create and return an empty temporary folder beside `path`, swept like a temporary file
    if its process dies (a folder that replaces `path` whole, such as a GeoParquet folder)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sweep_temps(path.parent)
    while True:
        tmp = path.with_name(_temp_name(path.name))
        try:
            tmp.mkdir()
            return tmp
        except FileExistsError:
            continue


@contextmanager
def atomic_target(path: str | os.PathLike, suffix: str = ".tmp") -> Iterator[Path]:
    """Yield a temporary path beside `path`; on success it replaces `path`, on error it goes."""
    path = Path(path)
    tmp = make_temp(path, suffix)
    try:
        yield tmp
        os.replace(tmp, path)
    except BaseException:
        _remove_temp(tmp)
        raise


def write_atomic(path: str | os.PathLike, data: str | bytes) -> Path:
    """Write a file whole or not at all (a temporary file beside it, then a rename); return the path."""
    with atomic_target(path) as tmp:
        tmp.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return Path(path)


@contextmanager
def output_set(folder: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary folder beside the files of a set; on success its files move into `folder`.

    The files appear together: they are moved in under a lock on `folder` (so that concurrent
    runs do not interleave their sets) after a commit mark is written, and a run killed during
    the moves is finished by the next write into the folder. On error the temporary folder goes
    and the files already in `folder` stay as they were.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    sweep_temps(folder)
    staging = folder / _temp_name("set")
    staging.mkdir()
    try:
        yield staging
        names = sorted(p.name for p in staging.iterdir())
        with _locked(folder):
            # a run that died after this line is finished by sweep_temps: the mark lists the moves
            mark = staging / (COMMIT_MARK + ".tmp")
            mark.write_text(json.dumps(names), encoding="utf-8")
            os.replace(mark, staging / COMMIT_MARK)
            _finish(staging, folder, names)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _finish(staging: Path, folder: Path, names: list[str]) -> None:
    """Move a committed set's files into folder (those not moved yet), then drop the staging folder."""
    for name in names:
        if (staging / name).exists():
            os.replace(staging / name, folder / name)
    shutil.rmtree(staging, ignore_errors=True)


def sweep_temps(folder: str | os.PathLike) -> int:
    """Remove what killed geomap runs left in folder, finishing their committed sets; return the count."""
    folder = Path(folder)
    try:
        leftovers = [entry for entry in os.scandir(folder) if entry.name.startswith(TEMP_PREFIX)
                     and not _writer_alive(entry)]
    except OSError:
        return 0  # a folder we cannot list: nothing of ours to sweep
    if not leftovers:
        return 0
    removed = 0
    with _locked(folder):
        for entry in leftovers:
            path = Path(entry.path)
            try:
                if path.is_dir() and not path.is_symlink():
                    mark = path / COMMIT_MARK
                    if mark.is_file():
                        _finish(path, folder, [name for name in json.loads(mark.read_text("utf-8"))
                                               if isinstance(name, str) and name == Path(name).name])
                    else:
                        shutil.rmtree(path, ignore_errors=True)
                else:
                    path.unlink(missing_ok=True)
                removed += 1
            except (OSError, ValueError):
                continue  # another run swept it first, or it is not ours to judge
    return removed


def _writer_alive(entry: os.DirEntry) -> bool:
    """Whether the process that made a temporary file or folder may still be writing it."""
    parts = entry.name[len(TEMP_PREFIX):].split("-", 2)
    if len(parts) < 3 or not parts[1].isdigit():
        return True  # not named by this module: leave it alone
    host, pid = parts[0], int(parts[1])
    if host != _HOST:
        try:
            return time.time() - entry.stat(follow_symlinks=False).st_mtime < FOREIGN_TEMP_SECONDS
        except OSError:
            return True
    return pid == os.getpid() or _process_running(pid)


def _process_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    try:  # a killed process not yet reaped by its parent is a zombie: it writes nothing more
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except (OSError, IndexError):
        return True


@contextmanager
def _locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on a folder (flock on the folder itself: nothing is left behind)."""
    try:
        import fcntl

        fd = os.open(folder, os.O_RDONLY)
    except (ImportError, OSError):
        yield  # no flock here (another OS, a folder we cannot open): moves are still atomic each
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:
            pass  # a file system without flock: as above
        yield
    finally:
        os.close(fd)  # closing releases the lock


def _remove_temp(tmp: Path) -> None:
    """Remove a temporary file and what SQLite or GDAL made beside it (-journal, -wal, -shm)."""
    for path in (tmp, *(tmp.with_name(tmp.name + side) for side in ("-journal", "-wal", "-shm"))):
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        except OSError:
            pass
