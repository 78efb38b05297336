"""Results folders are written whole or not at all, and never over what the tool did not write.

:func:`staged_folder` yields a temporary folder beside the destination (``.NAME.tmp-PID``);
when the caller's block ends well, the temporary folder takes the destination's place.

- A destination that exists and is not a results folder of this tool (no ``manifest.json``
  with ``"tool": "returns-sandbox"``) is refused before anything is written, unless ``force``;
  the folder you stand in (or one that holds it) is refused even then.
- A file where a folder is expected, a missing parent (unless ``parents``), a parent that
  cannot be written: :class:`OutputFolderError`, nothing written.
- Replacing swaps the two folders in one step where the system can (Linux ``renameat2`` with
  ``RENAME_EXCHANGE``), so at every moment the destination holds the old results or the new;
  elsewhere the old folder is renamed aside (``.NAME.old-PID``), the new one in, the old one
  deleted, and a run killed in between leaves the old results aside for the next run to put
  back.
- On an error, Ctrl-C or SIGTERM (raised as :class:`Terminated`, a ``KeyboardInterrupt``) the
  temporary folder is removed. Temporaries of runs killed outright (kill -9) carry the dead
  process's id; the next run into the same place removes them.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import re
import shutil
import signal
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType

from sim.reports.manifest import is_ours, tool_manifest, write_json

_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class OutputFolderError(Exception):
    """An output folder that cannot or must not be written; the message names it."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the program is, so it cleans up as after Ctrl-C."""


def folder_is_ours(folder: Path) -> bool:
    """Whether ``folder`` holds a ``manifest.json`` written by this tool."""
    try:
        return is_ours(json.loads((folder / "manifest.json").read_text("utf-8")))
    except (OSError, ValueError):
        return False


def _check(dest: Path, *, force: bool, parents: bool) -> None:
    """Every refusal, before anything is written."""
    parent = dest.parent
    if not dest.name or dest == parent:
        raise OutputFolderError(f"{dest} is not a folder that results can be written to")
    here = Path.cwd().resolve()
    real = dest.resolve()
    if real == here or real in here.parents:
        raise OutputFolderError(
            f"{dest} is the folder you are in, or holds it; choose a folder inside it")
    for above in (parent, *parent.parents):
        if above.exists() or os.path.islink(above):
            if not above.is_dir():
                raise OutputFolderError(f"{dest}: {above} is a file, not a folder")
            break
        if not parents:
            raise OutputFolderError(f"{dest}: the folder {parent} does not exist")
    if os.path.islink(dest):
        raise OutputFolderError(f"{dest} is a symbolic link; give the folder it points to")
    if dest.exists():
        if not dest.is_dir():
            raise OutputFolderError(f"{dest} exists and is a file, not a folder")
        if not force and not folder_is_ours(dest):
            raise OutputFolderError(
                f"{dest} exists and is not a results folder written by returns-sim (it has no "
                "manifest.json of ours); choose another folder, or add --force to replace it "
                "and everything in it")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _sweep(dest: Path) -> None:
    """Remove the temporaries of earlier runs into ``dest`` whose process is gone, and put
    back old results a killed run had moved aside before its new ones were in."""
    pattern = re.compile(rf"\.{re.escape(dest.name)}\.(tmp|old)-(\d+)")
    try:
        entries = list(dest.parent.iterdir())
    except OSError:
        return
    for entry in sorted(entries, key=lambda p: p.name):
        match = pattern.fullmatch(entry.name)
        if match is None or not entry.is_dir() or os.path.islink(entry):
            continue
        pid = int(match.group(2))
        if pid != os.getpid() and _alive(pid):
            continue
        if match.group(1) == "old" and not os.path.lexists(dest):
            entry.rename(dest)
        else:
            shutil.rmtree(entry, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2``); False where that is unavailable."""
    if not sys.platform.startswith("linux"):
        return False
    libc = ctypes.CDLL(None, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p,
                          ctypes.c_uint]
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.EINVAL, errno.ENOSYS, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


def _commit(stage: Path, dest: Path, *, force: bool) -> None:
    if os.path.lexists(dest):
        if not force and not folder_is_ours(dest):  # it changed while the run went on
            raise OutputFolderError(
                f"{dest} was changed while the results were being written and is no longer a "
                "results folder of returns-sim; the new results were not moved in")
        if _exchange(stage, dest):
            shutil.rmtree(stage, ignore_errors=True)  # now the old results
            return
        old = dest.parent / f".{dest.name}.old-{os.getpid()}"
        dest.rename(old)
        stage.rename(dest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        stage.rename(dest)


@contextmanager
def _signals_blocked() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while folders are swapped or removed."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _raise_terminated(signum: int, frame: FrameType | None) -> None:
    raise Terminated(f"signal {signum}")


@contextmanager
def _sigterm_raises() -> Iterator[None]:
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _remove_created(created: Path | None) -> None:
    if created is not None:
        shutil.rmtree(created, ignore_errors=True)


@contextmanager
def staged_folder(
    destination: Path, *, kind: str, force: bool = False, parents: bool = False
) -> Iterator[Path]:
    """Yield an empty temporary folder; when the block ends without an exception it replaces
    ``destination`` whole (see the module's description for every refusal).

    ``kind`` (run, compare, sweep, ...) goes into a minimal ``manifest.json`` if the caller
    wrote none, so every folder this tool leaves is recognisable as its own. With ``parents``
    missing parent folders are created (and removed again if nothing was written)."""
    dest = Path(os.path.abspath(destination))
    _check(dest, force=force, parents=parents)
    with _sigterm_raises():
        created: Path | None = None
        stage = dest.parent / f".{dest.name}.tmp-{os.getpid()}"
        try:
            if not dest.parent.exists():
                created = next(p for p in (dest.parent, *dest.parent.parents)
                               if p.parent.exists())
                dest.parent.mkdir(parents=True)
            _sweep(dest)
            stage.mkdir()
        except OSError as exc:
            with _signals_blocked():
                _remove_created(created)
            raise OutputFolderError(
                f"{dest}: cannot write in {dest.parent} ({exc.strerror or exc})") from None
        except BaseException:
            with _signals_blocked():
                _remove_created(created)
            raise
        try:
            yield stage
        except BaseException:
            with _signals_blocked():
                shutil.rmtree(stage, ignore_errors=True)
                _remove_created(created)
            raise
        try:
            with _signals_blocked():
                if not (stage / "manifest.json").exists():
                    write_json(stage / "manifest.json", tool_manifest(kind))
                _commit(stage, dest, force=force)
        except BaseException as exc:
            with _signals_blocked():
                shutil.rmtree(stage, ignore_errors=True)
                _remove_created(created)
            if isinstance(exc, OSError):
                raise OutputFolderError(
                    f"{dest}: the results could not be moved in ({exc.strerror or exc})"
                ) from exc
            raise
