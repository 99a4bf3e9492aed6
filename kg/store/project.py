"""`Project`: one SQLite file per project; every user action is one transaction.

Writes happen only inside `with project.transaction():`, so a crash at any point leaves
either the whole action or none of it (WAL, ``synchronous=FULL``).
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from types import TracebackType
from typing import Any

from kg.store import file as pf
from kg.store.file import ProjectError
from kg.store.schema import SCHEMA_VERSION


class Project:
    """An open project file. Use `Project.create` / `Project.open`, then `close()`."""

    def __init__(self, path: Path, con: sqlite3.Connection, lock: pf.FileLock) -> None:
        self.path = path
        self.con = con
        self._lock = lock
        self._tx_lock = threading.RLock()
        self._depth = 0

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def create(cls, path: str | Path) -> Project:
        path = Path(path)
        if path.exists():
            raise ProjectError(path, "a file of that name already exists; not overwritten")
        if not path.parent.is_dir():
            raise ProjectError(path, "its folder does not exist")
        lock = pf.FileLock(path)
        lock.acquire()
        try:
            con = pf.connect(path)
            pf.initialise(con)
            con.execute("PRAGMA synchronous = FULL")
            con.execute("INSERT INTO meta VALUES ('created_at', ?)", (pf.now(),))
            con.execute("INSERT INTO meta VALUES ('project_id', ?)", (uuid.uuid4().hex,))
        except BaseException:
            lock.release()
            raise
        return cls(path, con, lock)

    @classmethod
    def open(cls, path: str | Path, *, backups: bool = True) -> Project:
        path = Path(path)
        pf.check_header(path)  # raises before anything touches the file
        lock = pf.FileLock(path)
        lock.acquire()
        con: sqlite3.Connection | None = None
        try:
            con = pf.connect(path)
            try:
                mode = con.execute("PRAGMA journal_mode").fetchone()[0]
                # the header can lag behind the WAL: the connection's view is the truth
                version = con.execute("PRAGMA user_version").fetchone()[0]
            except sqlite3.DatabaseError as e:
                raise ProjectError(path, f"corrupt project file ({e})") from None
            if version > SCHEMA_VERSION:
                raise ProjectError(path, pf.newer_reason(version))
            pf.verify(con, path, version)
            if version < SCHEMA_VERSION:
                pf.backup(con, path, f"before-v{SCHEMA_VERSION}")
                pf.migrate(con, version)
                pf.verify(con, path)
            if mode != "wal":
                con.execute("PRAGMA journal_mode = WAL")
            con.execute("PRAGMA synchronous = FULL")
            if backups and pf.backup_due(path):
                pf.backup(con, path, "auto")
        except BaseException:
            if con is not None:
                con.close()
            lock.release()
            raise
        return cls(path, con, lock)

    def close(self) -> None:
        if self.con is not None:
            with contextlib.suppress(sqlite3.Error):
                self.con.execute("PRAGMA optimize")
            self.con.close()
        self._lock.release()

    def __enter__(self) -> Project:
        return self

    def __exit__(
        self, t: type[BaseException] | None, e: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def backup(self, reason: str = "manual") -> Path:
        return pf.backup(self.con, self.path, reason)

    # -- transactions ----------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One user action: all of it is committed, or none (nested calls join the outer)."""
        with self._tx_lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self.con
                finally:
                    self._depth -= 1
                return
            self.con.execute("BEGIN IMMEDIATE")
            self._depth = 1
            try:
                yield self.con
            except BaseException:
                self.con.execute("ROLLBACK")
                raise
            else:
                self.con.execute("COMMIT")
            finally:
                self._depth = 0

    def query(self, sql: str, params: tuple[Any, ...] | dict[str, Any] = ()) -> list[Any]:
        with self._tx_lock:
            return self.con.execute(sql, params).fetchall()

    # -- meta, jobs, corrections -----------------------------------------------------------
    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.query("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0][0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        with self.transaction() as con:
            con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def project_id(self) -> str:
        """A random id made when the project was created: keeps exported IRIs apart."""
        pid = self.meta("project_id")
        if pid is None:
            pid = uuid.uuid4().hex
            self.set_meta("project_id", pid)
        return pid

    def start_job(self, kind: str, args: dict[str, Any]) -> int:
        with self.transaction() as con:
            cur = con.execute(
                "INSERT INTO jobs (kind, args, status, started_at) VALUES (?, ?, 'running', ?)",
                (kind, json.dumps(args), pf.now()),
            )
            return int(cur.lastrowid or 0)

    def finish_job(self, job: int, status: str, message: str = "") -> None:
        with self.transaction() as con:
            con.execute(
                "UPDATE jobs SET status = ?, message = ?, finished_at = ? WHERE id = ?",
                (status, message, pf.now(), job),
            )

    def log_correction(
        self, user: str, action: str, payload: dict[str, Any], document: str | None = None
    ) -> int:
        """Append a human edit to the log (call inside the edit's own transaction)."""
        with self.transaction() as con:
            cur = con.execute(
                "INSERT INTO corrections (at, user, action, document, payload) "
                "VALUES (?, ?, ?, ?, ?)",
                (pf.now(), user, action, document, json.dumps(payload, sort_keys=True)),
            )
            return int(cur.lastrowid or 0)

    def counts(self) -> dict[str, int]:
        tables = ("documents", "sentences", "mentions", "entities", "relations", "models",
                  "corrections", "jobs")
        out = {t: int(self.query(f"SELECT count(*) FROM {t}")[0][0]) for t in tables}  # noqa: S608
        out["failed"] = int(
            self.query("SELECT count(*) FROM documents WHERE status = 'failed'")[0][0]
        )
        return out
