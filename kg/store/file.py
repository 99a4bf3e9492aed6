"""Opening a project file safely: checks before any write, migrations, backups, a lock.

A file is opened only after its header says it is a Skein project of a schema this build
knows, its integrity check passes and it holds no schema objects Skein did not create
(a project from someone else could carry triggers that run on read). Failing any of
these gives a `ProjectError` and leaves the file byte-for-byte untouched.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
import time
from pathlib import Path

from kg.store.schema import APPLICATION_ID, MIGRATIONS, SCHEMA_VERSION

_SQLITE_MAGIC = b"SQLite format 3\x00"
BACKUPS_KEPT = 5
BACKUP_EVERY = dt.timedelta(hours=12)


class ProjectError(Exception):
    """A project file that cannot be created or opened; `str()` names the file and why."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds")


def check_header(path: Path) -> int:
    """Read the raw header (no SQLite connection, no write); return the schema version."""
    try:
        with open(path, "rb") as f:
            head = f.read(100)
    except FileNotFoundError:
        raise ProjectError(path, "no such project file") from None
    except OSError as e:
        raise ProjectError(path, f"cannot read the file ({e.strerror})") from None
    if not head:
        raise ProjectError(path, "empty file (0 bytes): not a Skein project")
    if not head.startswith(_SQLITE_MAGIC):
        raise ProjectError(path, "not a Skein project (not an SQLite database)")
    if len(head) < 100:
        raise ProjectError(path, "corrupt project file (truncated header)")
    version = int.from_bytes(head[60:64], "big")
    app_id = int.from_bytes(head[68:72], "big")
    if app_id != APPLICATION_ID:
        raise ProjectError(path, "not a Skein project (an SQLite database of another application)")
    if version > SCHEMA_VERSION:
        raise ProjectError(path, newer_reason(version))
    return version


def newer_reason(version: int) -> str:
    return (
        f"made by a newer Skein (project schema v{version}; this Skein reads up to "
        f"v{SCHEMA_VERSION}); it was not opened or changed — update Skein to open it"
    )


def connect(path: Path) -> sqlite3.Connection:
    """A connection with the project's pragmas; autocommit mode, explicit transactions."""
    con = sqlite3.connect(path, isolation_level=None, timeout=5.0, check_same_thread=False)
    con.execute("PRAGMA trusted_schema = OFF")
    con.execute("PRAGMA foreign_keys = ON")
    return con


def _expected_schema(version: int) -> dict[tuple[str, str], str]:
    mem = sqlite3.connect(":memory:")
    for sql in MIGRATIONS[:version]:
        mem.executescript(sql)
    out = _schema_of(mem)
    mem.close()
    return out


def _schema_of(con: sqlite3.Connection) -> dict[tuple[str, str], str]:
    rows = con.execute(  # sqlite_* tables (statistics from PRAGMA optimize) are SQLite's own
        "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL"
        " AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'"
    )
    return {(t, n): re.sub(r"\s+", " ", s).strip() for t, n, s in rows}


def verify(con: sqlite3.Connection, path: Path, version: int = SCHEMA_VERSION) -> None:
    """Integrity check, then a whitelist of the schema objects of that `version`."""
    try:
        result = con.execute("PRAGMA quick_check").fetchone()[0]
        found = _schema_of(con)
    except sqlite3.DatabaseError as e:
        raise ProjectError(path, f"corrupt project file ({e})") from None
    if result != "ok":
        raise ProjectError(path, f"corrupt project file (integrity check: {result})")
    expected = _expected_schema(version)
    extra = sorted(f"{t} {n}" for t, n in found.keys() - expected.keys())
    if extra:
        raise ProjectError(
            path, "contains schema objects Skein did not create: " + ", ".join(extra)
        )
    changed = sorted(f"{t} {n}" for (t, n), s in expected.items() if found.get((t, n)) != s)
    if changed:
        raise ProjectError(
            path, "schema differs from Skein's (altered or missing): " + ", ".join(changed)
        )


def initialise(con: sqlite3.Connection) -> None:
    """Turn an empty database into a current-version project."""
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA journal_mode = WAL")
    migrate(con, 0)


def migrate(con: sqlite3.Connection, version: int) -> None:
    """Apply migrations from `version` up, each in its own transaction with its version."""
    for v in range(version, SCHEMA_VERSION):
        con.execute("BEGIN IMMEDIATE")
        try:
            for stmt in _statements(MIGRATIONS[v]):
                con.execute(stmt)
            con.execute(f"PRAGMA user_version = {v + 1}")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise


def _statements(script: str) -> list[str]:
    """Split a migration script into statements (triggers keep their inner ';')."""
    out: list[str] = []
    buf = ""
    for line in script.splitlines(keepends=True):
        buf += line
        if sqlite3.complete_statement(buf):
            out.append(buf.strip())
            buf = ""
    if buf.strip():
        out.append(buf.strip())
    return out


def backup_dir(path: Path) -> Path:
    return path.with_name(path.name + "-backups")


def backup(con: sqlite3.Connection, path: Path, reason: str) -> Path:
    """Copy the project (a consistent snapshot) into its backup folder; keep the newest few."""
    folder = backup_dir(path)
    folder.mkdir(exist_ok=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{path.stem}-{stamp}-{reason}.skein"
    tmp = target.with_suffix(".part")
    dst = sqlite3.connect(tmp)
    try:
        con.backup(dst)
        dst.execute("PRAGMA journal_mode = DELETE")
    finally:
        dst.close()
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    tmp.replace(target)
    for old in sorted(folder.glob("*.skein"))[:-BACKUPS_KEPT]:
        old.unlink()
    return target


def backup_due(path: Path) -> bool:
    newest = max((p.stat().st_mtime for p in backup_dir(path).glob("*.skein")), default=0.0)
    age = dt.datetime.now().timestamp() - newest
    return age > BACKUP_EVERY.total_seconds()


class FileLock:
    """An advisory lock so two Skein processes never write one project at once."""

    def __init__(self, path: Path) -> None:
        self.path = path.with_name(path.name + ".lock")
        self._fd: int | None = None

    def acquire(self, wait: float = 2.0) -> None:
        """Take the lock, retrying briefly (a process that just ended may still hold it)."""
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            import fcntl
        except ImportError:  # Windows: SQLite's own locking still protects the data
            self._fd = fd
            return
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                os.close(fd)
                raise ProjectError(
                    self.path.with_suffix(""), "already open in another Skein window or process"
                ) from None
            self._fd = fd
            return

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # the lock file stays: unlinking it would race a waiter
            self._fd = None
