import pytest

from index.articles import Article
from index.chunking import ChunkingParams, chunk_article, count_tokens
from index.sentences import split_sentences
from tests.conftest import SEEDS


def seed_text(name="001_5391de805404b0fb"):
    return (SEEDS / f"{name}.txt").read_text()


def test_sentences_are_exact_slices_that_cover_the_text():
    text = seed_text()
    spans = split_sentences(text)
    assert len(spans) > 10
    for s, e in spans:
        assert text[s:e] == text[s:e].strip() and text[s:e]
    # Every non-space character belongs to some sentence.
    covered = set()
    for s, e in spans:
        covered.update(range(s, e))
    assert all(i in covered for i, ch in enumerate(text) if not ch.isspace())


@pytest.mark.parametrize("text,expected", [
    ("Mr. Smith went to Washington. He stayed.", ["Mr. Smith went to Washington.", "He stayed."]),
    ("The U.S. economy grew 2.5% in 2023. Prices rose.", ["The U.S. economy grew 2.5% in 2023.", "Prices rose."]),
    ("John F. Kennedy spoke. Crowds cheered!", ["John F. Kennedy spoke.", "Crowds cheered!"]),
    ("The court overturned Roe v. Wade on Friday. Protests followed.",
     ["The court overturned Roe v. Wade on Friday.", "Protests followed."]),
    ("“It is done,” she said. Next line", ["“It is done,” she said.", "Next line"]),
    ("Headline without stop\nBody sentence one. Two.", ["Headline without stop", "Body sentence one.", "Two."]),
    ("", []),
])
def test_sentence_boundaries(text, expected):
    assert [text[s:e] for s, e in split_sentences(text)] == expected


def test_chunks_keep_offsets_into_the_stored_text():
    text = seed_text()
    article = Article("d", text)
    chunks = chunk_article(article, ChunkingParams(chunk_tokens=60, overlap_sentences=1))
    assert len(chunks) > 3
    sentence_starts = {s for s, _ in split_sentences(text)}
    sentence_ends = {e for _, e in split_sentences(text)}
    for c in chunks:
        assert c.start in sentence_starts and c.end in sentence_ends  # whole sentences only
        assert c.chunk_id.startswith("d#")
    assert chunks[0].start == 0 and chunks[-1].end == len(text.rstrip())
    # Consecutive chunks overlap by one sentence (or touch), never leave text out.
    for a, b in zip(chunks, chunks[1:]):
        assert b.start <= a.end or text[a.end:b.start].strip() == ""


def test_a_sentence_longer_than_a_chunk_is_cut_at_word_boundaries():
    text = " ".join(f"word{i}" for i in range(500)) + "."
    chunks = chunk_article(Article("long", text), ChunkingParams(chunk_tokens=50, overlap_sentences=0))
    assert len(chunks) >= 9
    for c in chunks:
        piece = text[c.start:c.end]
        assert count_tokens(piece) <= 51
        assert not piece.startswith(" ") and (c.end == len(text) or text[c.end] == " ")


@pytest.mark.parametrize("bad", [{"chunk_tokens": 0}, {"overlap_sentences": -1}])
def test_chunking_params_are_validated(bad):
    with pytest.raises(ValueError, match="must be"):
        ChunkingParams(**bad)
