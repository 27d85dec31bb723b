"""Every supported format through the real loaders (pypdf, BeautifulSoup/lxml), on files made in tmp_path."""
import json
from pathlib import Path

import pytest

from index.cleaning import clean_text
from index.errors import IngestError
from index.loaders import MAX_ARTICLE_BYTES, load_file, load_jsonl, load_paths
from tests.conftest import SEEDS

MULTIHOP = Path("/work/shared/bench/multihop/corpus.jsonl")


def write_pdf(path: Path, pages: list[list[str]], title: str = "") -> Path:
    """A minimal valid PDF with a real text layer (Helvetica, one Tj per line), written by hand."""
    objects: list[bytes] = [b"<< /Type /Catalog /Pages 2 0 R >>", b""]  # pages tree filled in below
    font = 3
    objects.append(b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>")
    kids = []
    for lines in pages:
        ops = ["BT", "/F1 11 Tf", "14 TL", "72 760 Td"]
        for line in lines:
            esc = line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
            ops += [f"({esc}) Tj", "T*"]
        ops.append("ET")
        stream = "\n".join(ops).encode("latin-1")
        objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
        content = len(objects)
        objects.append(b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                       b"/Resources << /Font << /F1 %d 0 R >> >> >>" % (content, font))
        kids.append(len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (
        b" ".join(b"%d 0 R" % k for k in kids), len(kids))
    info = None
    if title:
        objects.append(b"<< /Title (%s) >>" % title.encode("latin-1"))
        info = len(objects)
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    trailer = b"<< /Size %d /Root 1 0 R" % (len(objects) + 1) + (b" /Info %d 0 R" % info if info else b"") + b" >>"
    out += b"trailer\n" + trailer + b"\nstartxref\n%d\n%%%%EOF\n" % xref
    path.write_bytes(bytes(out))
    return path


def test_txt_seed_keeps_headline_and_text():
    a = load_file(SEEDS / "000_4e74a08cbb1c99cc.txt")
    raw = (SEEDS / "000_4e74a08cbb1c99cc.txt").read_text(encoding="utf-8")
    assert a.doc_id == "000_4e74a08cbb1c99cc"
    assert a.text == clean_text(raw) and len(a.text) > 1000
    assert a.title and a.text.startswith(a.title)


def test_markdown_drops_syntax_keeps_prose(tmp_path):
    md = tmp_path / "story.md"
    md.write_text("# Council approves budget\n\nThe **city council** approved a [new budget](http://x.org) on "
                  "Monday.\n\n![chart](c.png)\n\n- Spending rises by 4%.\n\n```\ncode block\n```\n", encoding="utf-8")
    a = load_file(md)
    assert a.title == "Council approves budget"
    assert "The city council approved a new budget on Monday." in a.text
    assert "Spending rises by 4%." in a.text
    for junk in ("**", "](", "![", "```", "http://x.org", "# "):
        assert junk not in a.text


HTML = """<!doctype html><html><head><title>Tab title</title>
<meta property="og:title" content="Storm closes ports">
<meta property="og:site_name" content="Harbour Times">
<meta property="article:published_time" content="2023-10-02T08:00:00Z">
<style>.x{color:red}</style><script>var tracking = "SCRIPT_TEXT";</script></head>
<body><nav><a href="/">Home</a> <a href="/world">World NAV_TEXT</a></nav>
<div class="layout-sidebar-right">
 <main><article>
  <h1>Storm closes ports</h1>
  <div class="share-buttons"><a>Share on Facebook SHARE_TEXT</a><a>Tweet</a></div>
  <p>A storm closed three ports on the east coast on Monday, officials said.</p>
  <p>Ships were told to wait offshore until the winds eased.<script>alert("INLINE_SCRIPT")</script></p>
  <div class="social-links">Follow us SOCIAL_TEXT</div>
  <p>Learn More</p>
 </article></main>
 <aside>Most read ASIDE_TEXT</aside>
</div>
<div id="cookie-banner">We use cookies COOKIE_TEXT</div>
<footer>Copyright FOOTER_TEXT</footer></body></html>"""


def test_html_keeps_article_text_only(tmp_path):
    page = tmp_path / "storm.html"
    page.write_text(HTML, encoding="utf-8")
    a = load_file(page)
    assert a.title == "Storm closes ports" and a.source == "Harbour Times"
    assert a.published_at == "2023-10-02T08:00:00Z"
    assert "A storm closed three ports on the east coast on Monday, officials said." in a.text
    assert "Ships were told to wait offshore until the winds eased." in a.text
    for junk in ("SCRIPT_TEXT", "INLINE_SCRIPT", "color:red", "NAV_TEXT", "SHARE_TEXT", "SOCIAL_TEXT",
                 "ASIDE_TEXT", "COOKIE_TEXT", "FOOTER_TEXT"):
        assert junk not in a.text
    assert not a.text.rstrip().endswith("Learn More")  # closing promo line dropped


def test_pdf_text_layer_with_page_numbers(tmp_path):
    pdf = write_pdf(tmp_path / "report.pdf", [
        ["Quarterly shipping report", "Exports rose by 12 percent in the third quarter."],
        ["Imports fell slightly as fuel prices climbed.", "The ministry expects growth next year."],
    ], title="Shipping report")
    a = load_file(pdf)
    assert a.title == "Shipping report"
    assert len(a.page_starts) == 2 and a.page_starts[0] == 0
    p1 = a.text.index("Exports rose by 12 percent")
    p2 = a.text.index("Imports fell slightly")
    assert a.page_at(p1) == 1 and a.page_at(p2) == 2
    assert a.text[a.page_starts[1]:].startswith("Imports fell slightly")


def test_pdf_without_text_layer_and_broken_pdf_are_refused(tmp_path):
    blank = write_pdf(tmp_path / "scan.pdf", [[]])
    with pytest.raises(IngestError, match="no text layer|no article text"):
        load_file(blank)
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n")
    with pytest.raises(IngestError, match="not a readable PDF|no text layer"):
        load_file(broken)


def test_multihop_corpus_loads_as_it_is():
    result = load_jsonl(MULTIHOP)
    assert result.errors == []
    assert len(result.articles) == 609
    first = json.loads(MULTIHOP.open(encoding="utf-8").readline())
    a = result.articles[0]
    assert a.doc_id == first["doc_id"] == "mhr-doc-0000"
    assert a.title == first["title"] and a.source == "Mashable"
    assert a.published_at == first["published_at"] and a.url == first["url"]
    assert len({x.doc_id for x in result.articles}) == 609
    assert all(x.source and x.published_at for x in result.articles)


def test_jsonl_malformed_line_is_reported_and_others_kept(tmp_path):
    f = tmp_path / "feed.jsonl"
    good = {"doc_id": "a1", "title": "T", "body": "The first article body has enough words to count."}
    f.write_text(json.dumps(good) + "\n{not json\n\n" + json.dumps({"title": "no body"}) + "\n"
                 + json.dumps({"body": "A second article without a doc id, also long enough."}) + "\n",
                 encoding="utf-8")
    r = load_jsonl(f)
    assert [a.doc_id for a in r.articles] == ["a1", "feed-5"]
    assert [e.source for e in r.errors] == [f"{f}:2", f"{f}:4"]
    assert "malformed JSON" in r.errors[0].reason and '"body"' in r.errors[1].reason


@pytest.mark.parametrize("raw, match", [
    (b"", "empty"),
    (b"   \n\n  ", "empty"),
    (bytes(range(256)) * 40, "binary"),
    (b"\x89PNG\r\n\x1a\n" + bytes(4000), "binary"),
    (b"Hi.", "no article text"),
])
def test_bad_text_files(tmp_path, raw, match):
    f = tmp_path / "bad.txt"
    f.write_bytes(raw)
    with pytest.raises(IngestError, match=match):
        load_file(f)


def test_non_utf8_text_is_read_as_windows_1252(tmp_path, caplog):
    f = tmp_path / "old.txt"
    f.write_bytes("Caf\u00e9 owners in S\u00e3o Paulo said prices rose \u201csharply\u201d this year.".encode("cp1252"))
    a = load_file(f)
    assert a.text == "Caf\u00e9 owners in S\u00e3o Paulo said prices rose \u201csharply\u201d this year."
    assert "not UTF-8" in caplog.text


def test_oversized_file_is_refused_without_reading_it(tmp_path):
    f = tmp_path / "huge.txt"
    with open(f, "wb") as out:  # sparse: 50 MB on paper, nothing read
        out.truncate(50 * 2**20)
    with pytest.raises(IngestError, match="50 MB; one article may be at most 10 MB"):
        load_file(f)
    assert MAX_ARTICLE_BYTES < 50 * 2**20


def test_paths_folders_globs_missing_and_unsupported(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    (tmp_path / "d" / "a.txt").write_text("Alpha article text that is long enough to keep.", encoding="utf-8")
    (tmp_path / "d" / "sub" / "b.md").write_text("Beta article text that is long enough to keep.", encoding="utf-8")
    (tmp_path / "d" / "ignored.docx").write_bytes(b"PK\x03\x04")
    r = load_paths([str(tmp_path / "d")])
    assert sorted(a.doc_id for a in r.articles) == ["a", "b"] and r.errors == []
    r = load_paths([str(tmp_path / "d" / "**" / "*.md"), str(tmp_path / "missing.txt"),
                    str(tmp_path / "d" / "ignored.docx")])
    assert [a.doc_id for a in r.articles] == ["b"]
    reasons = {Path(e.source).name: e.reason for e in r.errors}
    assert "no such file" in reasons["missing.txt"]
    assert "unsupported file type .docx" in reasons["ignored.docx"]


def test_cleaning_normalises_and_drops_closing_promo():
    raw = "Cafe\u0301  prices\u00a0rose\u200b.\r\n\r\n\r\n\r\nLearn More is a phrase, mid-story.\n Second line.\n\nLearn More\nSubscribe now!\n"
    text = clean_text(raw)
    assert text == "Caf\u00e9 prices rose.\n\nLearn More is a phrase, mid-story.\nSecond line."
