"""Faults a library meets outside a test lab, each made for real: CURRENT lost or damaged, each kind of index
file damaged, a read-only index directory, a full filesystem. After each, the library opens with the previous
or the new complete set of articles, nothing committed is lost, and the writer or reader (a separate process,
as the command line would be) reports one clear message naming the file and the fix, never a traceback.

Read-only and full filesystems are real mounts (a read-only bind mount, a tiny tmpfs) when this process may
mount (root in CI); otherwise a read-only directory is met by running the writer as an unprivileged user, and
a full disk by a file-size limit (RLIMIT_FSIZE), which fails writes with EFBIG as a full disk does.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

from index.errors import CorruptIndexError, NeedsRecoveryError
from index.store import Store
from tests.conftest import ROOT
from tests.index.conftest import EXTRA, SEED_IDS, run_child

pytestmark = pytest.mark.slow  # each test runs the real command line or server as a process

ALL_IDS = SEED_IDS | {EXTRA.doc_id}


@pytest.fixture
def index_dir(two_generations, tmp_path) -> Path:
    return shutil.copytree(two_generations, tmp_path / "index")


def gens(index_dir: Path) -> list[str]:
    return sorted(p.name for p in index_dir.iterdir() if p.name.startswith("gen-"))


def listed(index_dir: Path) -> set[str]:
    rc, out, err = run_child(index_dir, "list")
    assert rc == 0, (out, err)
    return set(out["ok"])


# ---- CURRENT lost or damaged ------------------------------------------------------------------------------

@pytest.mark.parametrize("damage", ["deleted", "garbage", "empty", "names a missing generation"])
def test_a_lost_current_refuses_writes_until_recover(index_dir, damage):
    current = index_dir / "CURRENT"
    if damage == "deleted":
        current.unlink()
    elif damage == "garbage":
        current.write_bytes(b"\x00\xffgen-\n\x9c")
    elif damage == "empty":
        current.write_text("")
    else:
        current.write_text("gen-00000009\n")
    before = gens(index_dir)
    more = index_dir.parent / "more.txt"
    more.write_text("A one-article library must not replace the twenty-two articles already committed here.")
    for op in (("add", str(more)), ("remove", "000_4e74a08cbb1c99cc"), ("list",)):
        rc, out, _err = run_child(index_dir, *op)
        assert rc == 1 and out["error"] == "NeedsRecoveryError", out
        assert f"qa index recover --index-dir {index_dir}" in out["message"] and "gen-00000002" in out["message"]
    assert gens(index_dir) == before  # nothing written, nothing pruned

    rc, out, _err = run_child(index_dir, "recover")
    assert rc == 0 and out["ok"]["generation"] == "gen-00000002" and out["ok"]["articles"] == 3
    assert listed(index_dir) == ALL_IDS
    rc, out, _err = run_child(index_dir, "add", str(more))  # and writing works again, on top of it
    assert rc == 0 and out["ok"]["added"] == ["more"]
    assert listed(index_dir) == ALL_IDS | {"more"} and "gen-00000002" in gens(index_dir)


def test_recover_with_a_sound_current_changes_nothing(index_dir):
    report = Store(index_dir).recover()
    assert (report.generation, report.previous, report.changed) == ("gen-00000002", "gen-00000002", False)
    assert "already names gen-00000002" in report.describe()


# ---- each kind of index file damaged ----------------------------------------------------------------------

def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _garbage(path: Path) -> None:
    path.write_bytes(os.urandom(max(64, path.stat().st_size)))


DAMAGE = [  # (file in the current generation, how, the fix the message names)
    ("manifest.json", _truncate, "rebuild"),
    ("faiss.index", _garbage, "rebuild"),
    ("faiss.index", _truncate, "rebuild"),
    ("faiss.index", Path.unlink, "rebuild"),
    ("bm25/vocab.json", _truncate, "rebuild"),
    ("bm25/postings.npz", _garbage, "rebuild"),
    ("bm25/size", _garbage, "rebuild"),
    ("chunks.jsonl", _truncate, "rebuild"),
    ("articles.jsonl", _truncate, "recover"),
    ("minhash.npy", _garbage, None),  # signatures are recomputed: not an error at all
]


@pytest.mark.parametrize("name, damage, fix", DAMAGE, ids=[f"{d[0]}-{d[1].__name__}" for d in DAMAGE])
def test_a_damaged_file_is_one_message_naming_it_and_the_fix_works(index_dir, embedder, name, damage, fix):
    damage(index_dir / "gen-00000002" / name)
    rc, out, _err = run_child(index_dir, "list")
    if fix is None:
        assert rc == 0 and set(out["ok"]) == ALL_IDS
        return
    assert rc == 1 and out["error"] in ("CorruptIndexError", "IndexMismatchError"), out
    message = out["message"]
    assert str(index_dir / "gen-00000002" / name.split("/")[0]) in message
    assert f"qa index {fix} --index-dir {index_dir}" in message and "\n" not in message
    store = Store(index_dir, embedder=embedder)
    if fix == "rebuild":  # the stored articles are intact: the latest set comes back in full
        assert store.rebuild() > 0
        assert listed(index_dir) == ALL_IDS
    else:  # the articles themselves are damaged: back to the previous complete set, the damage kept aside
        report = store.recover()
        assert report.generation == "gen-00000001" and [g for g, _ in report.skipped] == ["gen-00000002"]
        assert listed(index_dir) == SEED_IDS
        assert (index_dir / "gen-00000002.corrupt" / "articles.jsonl").is_file()
        rc, out, _err = run_child(index_dir, "remove", "000_4e74a08cbb1c99cc")  # writable again
        assert rc == 0 and listed(index_dir) == SEED_IDS - {"000_4e74a08cbb1c99cc"}


def test_in_process_readers_get_the_error_types_too(index_dir):
    (index_dir / "gen-00000002" / "faiss.index").write_bytes(b"not a faiss index")
    with pytest.raises(CorruptIndexError) as e:
        Store(index_dir).snapshot()
    assert e.value.path.endswith("faiss.index")
    (index_dir / "CURRENT").unlink()
    with pytest.raises(NeedsRecoveryError):
        Store(index_dir).snapshot()


# ---- a read-only index directory ---------------------------------------------------------------------------

def _run(*cmd: str) -> bool:
    return subprocess.run(cmd, capture_output=True).returncode == 0


@contextmanager
def read_only(index_dir: Path):
    """The index directory made read-only for the writer: a read-only bind mount (EROFS) when mounting is
    allowed, else the writer runs as `nobody` (EACCES); yields the uid to run the writer as (or None)."""
    if _run("mount", "--bind", str(index_dir), str(index_dir)):
        try:
            if not _run("mount", "-o", "remount,bind,ro", str(index_dir), str(index_dir)):
                pytest.skip("a bind mount could be made but not remounted read-only")
            yield None
        finally:
            _run("umount", str(index_dir))
        return
    try:
        import pwd

        nobody = pwd.getpwnam("nobody").pw_uid
    except KeyError:
        pytest.skip("cannot mount here (no CAP_SYS_ADMIN) and there is no `nobody` user to run the writer as")
    if os.getuid() != 0:
        pytest.skip("cannot mount here and not root, so cannot run the writer as another user")
    try:
        runs = subprocess.run([sys.executable, "-c", "import index.store"], cwd=ROOT, user=nobody,
                              capture_output=True).returncode == 0
    except OSError:
        runs = False
    if not runs:
        pytest.skip(f"cannot mount here, and `nobody` cannot run {sys.executable} with this project")
    for p in [index_dir, *index_dir.parents][:-1]:
        p.chmod(p.stat().st_mode | 0o005)  # let `nobody` reach and read the index, not write it
    yield nobody


def test_a_read_only_index_directory_reads_and_refuses_writes_clearly(index_dir):
    current = (index_dir / "CURRENT").read_text()
    with read_only(index_dir) as uid:
        rc, out, _err = run_child(index_dir, "list", user=uid)
        assert rc == 0 and set(out["ok"]) == ALL_IDS  # reading needs no write access
        for op in (("remove", EXTRA.doc_id), ("recover",)):
            rc, out, _err = run_child(index_dir, *op, user=uid)
            assert rc == 1 and out["error"] == "IndexReadOnlyError", out
            assert str(index_dir) in out["message"] and "make it writable" in out["message"]
            assert "Nothing was changed" in out["message"]
    assert (index_dir / "CURRENT").read_text() == current and listed(index_dir) == ALL_IDS


# ---- a full filesystem -------------------------------------------------------------------------------------

@contextmanager
def tiny_filesystem(where: Path, index_dir: Path):
    """`index_dir` copied onto a 1 MiB tmpfs, filled so that a new generation cannot fit; yields (the copy,
    the filler file, None). Without mounting, yields (index_dir, None, a file-size limit) instead."""
    where.mkdir()
    if not _run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(where)):
        yield index_dir, None, 8 * 1024  # every file of a generation larger than 8 KiB fails with EFBIG
        return
    try:
        copy = shutil.copytree(index_dir, where / "index")
        filler = where / "filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT)  # fill the disk, unbuffered, until it is full ...
        try:
            while os.write(fd, b"\1" * 4096):
                pass
        except OSError:
            pass
        finally:
            os.close(fd)
        # ... then give back a little less than a new generation needs.
        os.truncate(filler, filler.stat().st_size - 12 * 1024)
        yield copy, filler, None
    finally:
        _run("umount", str(where))


def test_a_full_disk_is_a_clear_error_and_leaves_no_partial_generation(index_dir, tmp_path):
    with tiny_filesystem(tmp_path / "disk", index_dir) as (index, filler, fsize):
        current = (index / "CURRENT").read_text()
        free_before = shutil.disk_usage(index).free
        rc, out, _err = run_child(index, "remove", EXTRA.doc_id, fsize=fsize)
        assert rc == 1 and out["error"] == "DiskFullError", out
        assert str(index) in out["message"] and "free space" in out["message"]
        assert (index / "CURRENT").read_text() == current and listed(index) == ALL_IDS
        assert not [p for p in index.iterdir() if ".tmp" in p.name]  # the partial generation was removed
        assert shutil.disk_usage(index).free >= free_before - 4096  # ... and the space it took is back
        assert gens(index) == ["gen-00000001", "gen-00000002"]
        if filler is not None:
            filler.unlink()  # the fix the message names: free space; then the same change succeeds
        rc, out, _err = run_child(index, "remove", EXTRA.doc_id)
        assert rc == 0 and listed(index) == SEED_IDS


def test_recover_keeps_the_newest_articles_when_only_index_files_are_damaged(index_dir, embedder):
    """CURRENT lost and the newest generation's FAISS file damaged: going back a generation would drop
    the newest committed article, so recover keeps it and says to rebuild."""
    (index_dir / "CURRENT").unlink()
    (index_dir / "gen-00000002" / "faiss.index").write_bytes(b"\0" * 100)
    report = Store(index_dir, embedder=embedder).recover()
    assert (report.generation, report.articles, report.skipped) == ("gen-00000002", 3, ())
    assert "faiss.index" in report.needs_rebuild and "qa index rebuild" in report.describe()
    rc, out, _err = run_child(index_dir, "list")
    assert rc == 1 and "qa index rebuild" in out["message"]
    Store(index_dir, embedder=embedder).rebuild()
    assert listed(index_dir) == ALL_IDS
