"""Ingest edges found by a hostile test: links out of a folder, random bytes that pass for Windows-1252,
document ids that break listings, and duplicate reports that name an id nobody holds."""
from __future__ import annotations

import json
import os
import random

import pytest

from index.articles import MAX_DOC_ID_CHARS, Article, InvalidDocIdError
from index.errors import IngestError
from index.loaders import load_file, load_jsonl, load_paths
from index.store import Store

STORY = "The harbour reopened on Tuesday after the storm, the port authority said."


def test_a_folder_add_does_not_follow_links_out_of_the_folder(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text("A private note that is not part of the news folder at all.")
    news = tmp_path / "news"
    (news / "sub").mkdir(parents=True)
    (news / "story.txt").write_text(STORY)
    (news / "passwd.txt").symlink_to("/etc/passwd")
    (news / "sub" / "secret.txt").symlink_to(outside / "secret.txt")
    (news / "elsewhere").symlink_to(outside, target_is_directory=True)
    (news / "again.txt").symlink_to(news / "story.txt")  # inside the folder: harmless, followed

    result = load_paths([str(news)])
    assert sorted(a.doc_id for a in result.articles) == ["again", "story"]
    skipped = {os.path.basename(e.source): e.reason for e in result.errors}
    assert set(skipped) == {"passwd.txt", "secret.txt", "elsewhere"}
    assert "symbolic link to /etc/passwd, outside" in skipped["passwd.txt"] and "not followed" in skipped["passwd.txt"]
    assert not any("private note" in a.text for a in result.articles)
    # Naming a link on its own is the user's explicit choice, and is read.
    assert load_paths([str(news / "sub" / "secret.txt")]).articles[0].doc_id == "secret"


@pytest.mark.parametrize("seed", range(5))
def test_random_bytes_without_nul_are_refused_as_binary(tmp_path, seed):
    rng = random.Random(seed)
    raw = bytes(rng.choice(range(1, 256)) for _ in range(4000))
    f = tmp_path / "noise.txt"
    f.write_bytes(raw)
    with pytest.raises(IngestError, match="binary"):
        load_file(f)


def test_real_windows_1252_text_is_still_read(tmp_path):
    f = tmp_path / "old.txt"
    f.write_bytes("Caf\u00e9 owners in S\u00e3o Paulo said prices rose \u201csharply\u201d this year.".encode("cp1252"))
    assert "S\u00e3o Paulo" in load_file(f).text


BAD_IDS = ["line\nbreak", "nul\x00id", "right\u202eto-left", "x" * 10_000, "tab\there", " padded", "a/b", "a#b"]


@pytest.mark.parametrize("doc_id", BAD_IDS, ids=["newline", "nul", "u202e", "10000", "tab", "space", "slash", "hash"])
def test_bad_doc_ids_are_refused_everywhere_an_article_gets_one(tmp_path, doc_id):
    with pytest.raises(InvalidDocIdError, match="invalid doc_id"):
        Article(doc_id, STORY)
    with pytest.raises(InvalidDocIdError):
        Article.from_dict({"doc_id": doc_id, "text": STORY})
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"doc_id": doc_id, "body": STORY}) + "\n" + json.dumps({"doc_id": "ok-1", "body": STORY})
                    + "\n", encoding="utf-8")
    result = load_jsonl(feed)
    assert [a.doc_id for a in result.articles] == ["ok-1"]
    assert len(result.errors) == 1 and result.errors[0].source == f"{feed}:1"
    assert "invalid doc_id" in result.errors[0].reason and "\n" not in str(result.errors[0])


def test_doc_id_limits_and_a_bad_file_name(tmp_path):
    assert Article("é" * MAX_DOC_ID_CHARS, STORY).doc_id  # 200 printable characters, any script
    with pytest.raises(InvalidDocIdError, match="1 to 200 characters"):
        Article("", STORY)
    f = tmp_path / "evil\u202etxt.md"
    f.write_text(STORY)
    result = load_paths([str(tmp_path)])
    assert result.articles == [] and "U+202E" in result.errors[0].reason


def test_stored_articles_with_old_ids_still_load():
    a = Article.from_stored({"doc_id": "made\nbefore the rule", "text": STORY})
    assert a.doc_id == "made\nbefore the rule" and a.text == STORY


def test_duplicates_name_the_doc_id_that_holds_the_text(tmp_path, embedder):
    store = Store(tmp_path / "index", embedder=embedder)
    store.add([Article("orig", STORY)])
    report = store.add([Article("dup-3", STORY), Article("orig", STORY), Article("new-1", STORY + " More."),
                        Article("new-2", STORY + " More.")])
    assert report.added == ["new-1"] and report.unchanged == ["dup-3", "orig", "new-2"]
    assert report.duplicate_of == {"dup-3": "orig", "orig": "orig", "new-2": "new-1"}
    assert set(store.snapshot().articles) == {"orig", "new-1"}  # dup-3 is not indexed, as reported
