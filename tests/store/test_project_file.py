"""The project file: pragmas, refusal of foreign/corrupt/newer files, migrations, backups."""

from __future__ import annotations

import hashlib
import sqlite3
from pathlib import Path

import pytest

from kg.store import Project, ProjectError
from kg.store import file as pf
from kg.store.schema import APPLICATION_ID, SCHEMA_VERSION


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    path = tmp_path / "p.skein"
    with Project.create(path) as project:
        project.set_meta("note", "x" * 10_000)  # a few pages of data
        for i in range(200):
            project.log_correction("ann", "add-entity", {"i": i, "pad": "y" * 200})
    return path


def test_new_project_has_the_promised_pragmas(tmp_path: Path) -> None:
    with Project.create(tmp_path / "a.skein") as project:
        con = project.con
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert con.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert con.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert con.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert con.execute("PRAGMA trusted_schema").fetchone()[0] == 0


def test_reopen_keeps_everything(project_path: Path) -> None:
    with Project.open(project_path) as project:
        assert project.meta("note") == "x" * 10_000
        assert project.counts()["corrections"] == 200


def test_create_never_overwrites(project_path: Path) -> None:
    before = digest(project_path)
    with pytest.raises(ProjectError, match="already exists"):
        Project.create(project_path)
    assert digest(project_path) == before


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        (b"", "empty file"),
        (b"hello, this is a text file\n" * 10, "not an SQLite database"),
        (b"%PDF-1.7\n" + bytes(range(256)) * 4, "not an SQLite database"),
    ],
)
def test_non_projects_are_refused_untouched(tmp_path: Path, content: bytes, reason: str) -> None:
    path = tmp_path / "x.skein"
    path.write_bytes(content)
    with pytest.raises(ProjectError, match=reason) as err:
        Project.open(path)
    assert str(path) in str(err.value)
    assert path.read_bytes() == content


def test_another_applications_sqlite_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = digest(path)
    with pytest.raises(ProjectError, match="another application"):
        Project.open(path)
    assert digest(path) == before


def test_newer_version_is_refused_untouched(project_path: Path) -> None:
    con = sqlite3.connect(project_path)
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 7}")
    con.commit()
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    before = digest(project_path)
    with pytest.raises(ProjectError, match="newer Skein"):
        Project.open(project_path)
    assert digest(project_path) == before


def test_newer_version_only_in_the_wal_is_refused(project_path: Path) -> None:
    """The header may lag behind the WAL: the live version must still be checked."""
    con = sqlite3.connect(project_path)
    con.execute("PRAGMA wal_autocheckpoint = 0")
    con.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    con.commit()
    assert pf.check_header(project_path) == SCHEMA_VERSION  # header still says current
    with pytest.raises(ProjectError, match="newer Skein"):
        Project.open(project_path)
    con.close()


@pytest.mark.parametrize("where", ["middle", "truncate"])
def test_corrupt_files_are_refused_untouched(project_path: Path, where: str) -> None:
    data = bytearray(project_path.read_bytes())
    if where == "middle":
        page = 4096
        for i in range(3 * page, min(len(data), 6 * page), 7):
            data[i] ^= 0x5A
    else:
        data = data[: len(data) // 2]
    project_path.write_bytes(bytes(data))
    with pytest.raises(ProjectError, match="corrupt"):
        Project.open(project_path)
    assert project_path.read_bytes() == bytes(data)


def test_foreign_schema_objects_are_refused(project_path: Path) -> None:
    con = sqlite3.connect(project_path)
    con.execute(
        "CREATE TRIGGER evil AFTER INSERT ON meta BEGIN DELETE FROM documents; END"
    )
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="did not create: trigger evil"):
        Project.open(project_path)


def test_corrections_are_append_only(project_path: Path) -> None:
    with Project.open(project_path) as project:
        for sql in ("UPDATE corrections SET user = 'mallory'", "DELETE FROM corrections"):
            with pytest.raises(sqlite3.IntegrityError, match="append-only"), \
                    project.transaction() as con:
                con.execute(sql)
        assert project.counts()["corrections"] == 200


def test_a_failed_action_leaves_nothing(project_path: Path) -> None:
    with Project.open(project_path) as project:
        with pytest.raises(RuntimeError), project.transaction() as con:
            con.execute("INSERT INTO meta VALUES ('half', 'done')")
            raise RuntimeError("boom")
        assert project.meta("half") is None


def test_older_file_is_backed_up_then_migrated(tmp_path: Path) -> None:
    path = tmp_path / "old.skein"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.execute("PRAGMA user_version = 0")
    con.commit()
    con.close()
    with Project.open(path) as project:
        assert project.con.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert project.counts()["documents"] == 0
    backups = list(pf.backup_dir(path).glob("*before-v*.skein"))
    assert len(backups) == 1


def test_backups_rotate_and_are_complete(project_path: Path) -> None:
    with Project.open(project_path) as project:
        made = [project.backup("manual") for _ in range(pf.BACKUPS_KEPT + 3)]
    kept = sorted(pf.backup_dir(project_path).glob("*.skein"))
    assert len(kept) == pf.BACKUPS_KEPT
    assert made[-1] in kept and made[0] not in kept
    with Project.open(made[-1], backups=False) as copy:
        assert copy.counts()["corrections"] == 200


def test_a_second_writer_is_refused(project_path: Path) -> None:
    with Project.open(project_path), pytest.raises(ProjectError, match="already open"):
        Project.open(project_path)
    with Project.open(project_path):  # released on close
        pass


def test_sqlite_statistics_tables_do_not_block_opening(project_path: Path) -> None:
    """PRAGMA optimize / ANALYZE create sqlite_stat1: SQLite's own, not a foreign object."""
    with Project.open(project_path) as project:
        project.con.execute("ANALYZE")
    with Project.open(project_path) as project:
        assert project.counts()["corrections"] == 200


def test_a_v1_file_with_data_migrates_and_keeps_it(tmp_path: Path) -> None:
    from kg.store.schema import MIGRATIONS

    path = tmp_path / "v1.skein"
    con = sqlite3.connect(path)
    con.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    con.executescript(MIGRATIONS[0])
    con.execute("INSERT INTO meta VALUES ('kept', 'yes')")
    con.execute("INSERT INTO entities VALUES ('e-1', 'PER', 'Ada', 'ada', '2026-01-01')")
    con.execute("PRAGMA user_version = 1")
    con.commit()
    con.close()
    with Project.open(path) as project:
        assert project.meta("kept") == "yes"
        assert project.query("SELECT name FROM entities")[0][0] == "Ada"
        tables = {r[0] for r in project.query("SELECT name FROM sqlite_master WHERE type='table'")}
        assert {"entity_merges", "entity_decisions", "sentence_reviews", "known_entities",
                "link_decisions"} <= tables
    assert len(list(pf.backup_dir(path).glob("*before-v*.skein"))) == 1
