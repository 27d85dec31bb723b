"""Turning files into `Article`s: .txt, .md, .html/.htm, .pdf and .jsonl (one article a line).

A file's document id is its name without the extension; a JSON Lines record's is its `doc_id` field (or
"<file stem>-<line number>"). Every loader returns cleaned text (see `cleaning.py`); offsets refer to it.
Problems with one file or record raise `IngestError` (or are reported per line for JSON Lines), so callers
can skip the bad input and keep the rest.

Size: one article file (.txt, .md, .html, .pdf) may be at most `MAX_ARTICLE_BYTES` (10 MB, far beyond any news
article); a larger one is refused before it is read, so memory stays bounded. A JSON Lines file is read one
line at a time, so it may be any size, but each line is one article and obeys the same limit.
Text that is not UTF-8 is read as Windows-1252 (what older news files usually are) with a warning, but only
when its bytes look like text (mostly ASCII letters, hardly any control bytes); text with NUL bytes or many
control characters, and non-UTF-8 bytes that do not look like text, are refused as binary.
A folder is searched without following symbolic links out of it: a link whose target lies outside the folder
(`ln -s /etc/passwd news/passwd.txt`) is reported as skipped, never read. A file named on its own is read
even when it is a link: naming it is the user's choice. Document ids are checked by `Article` (printable,
1-200 characters); a bad one is reported like any other bad input.
It does not chunk, embed or store anything.
"""
from __future__ import annotations

import glob
import json
import logging
import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from index.articles import Article
from index.cleaning import clean_text
from index.errors import IngestError

log = logging.getLogger(__name__)

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf", ".jsonl")
MAX_ARTICLE_BYTES = 10 * 1024 * 1024  # larger article files are refused rather than read into memory whole
MIN_CHARS = 20
_CONTROL_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13))
_HIGH_BYTES = bytes(range(128, 256))
_LETTER_BYTES = b" " + bytes(range(65, 91)) + bytes(range(97, 123))


@dataclass
class LoadResult:
    articles: list[Article] = field(default_factory=list)
    errors: list[IngestError] = field(default_factory=list)


def expand_paths(paths: list[str]) -> tuple[list[Path], list[IngestError]]:
    """Files named by `paths` (files, folders searched recursively, or glob patterns), sorted."""
    files: list[Path] = []
    errors: list[IngestError] = []
    for p in paths:
        matches = [Path(m) for m in glob.glob(p, recursive=True)] if glob.has_magic(p) else [Path(p)]
        if not matches or not all(m.exists() for m in matches):
            errors.append(IngestError(p, "no such file or folder"))
            continue
        for m in matches:
            if m.is_dir():
                found, skipped = _folder_files(m)
                files.extend(found)
                errors.extend(skipped)
            else:
                files.append(m)
    return list(dict.fromkeys(files)), errors


def _folder_files(folder: Path) -> tuple[list[Path], list[IngestError]]:
    """Supported, non-hidden files under `folder`, sorted. Links are followed only when they stay inside it;
    one that leads out is reported (a folder add must not read /etc/passwd because a link points there)."""
    root = folder.resolve()
    files: list[Path] = []
    skipped: list[IngestError] = []
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        here = Path(dirpath)
        for name in dirnames:  # os.walk lists linked folders but does not enter them
            if (here / name).is_symlink() and not _inside(here / name, root):
                skipped.append(IngestError(str(here / name), f"a symbolic link to {_target(here / name)}, outside "
                                                              f"{folder}; not followed"))
        for name in filenames:
            f = here / name
            if name.startswith(".") or f.suffix.lower() not in SUPPORTED:
                continue
            if f.is_symlink() and not _inside(f, root):
                skipped.append(IngestError(str(f), f"a symbolic link to {_target(f)}, outside {folder}; not followed"))
            elif f.is_file():
                files.append(f)
    return sorted(files), skipped


def _inside(link: Path, root: Path) -> bool:
    try:
        return link.resolve().is_relative_to(root)
    except (OSError, RuntimeError):  # a loop of links, or an unreadable target: treat as outside
        return False


def _target(link: Path) -> str:
    try:
        return os.readlink(link)
    except OSError:
        return "an unreadable target"


def load_paths(paths: list[str]) -> LoadResult:
    """Every article under `paths`, with one `IngestError` per file or record that could not be read."""
    files, errors = expand_paths(paths)
    result = LoadResult(errors=errors)
    for f in files:
        try:
            if f.suffix.lower() == ".jsonl":
                sub = load_jsonl(f)
                result.articles.extend(sub.articles)
                result.errors.extend(sub.errors)
            else:
                result.articles.append(load_file(f))
        except IngestError as e:
            result.errors.append(e)
    return result


def load_file(path: Path) -> Article:
    """One article from a .txt, .md, .html or .pdf file."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise IngestError(str(path), f"unsupported file type {suffix or '(none)'}; "
                                     f"supported: {', '.join(SUPPORTED)}")
    raw = _read_bytes(path)
    if suffix == ".pdf":
        return _finish(_pdf_article(path, raw), path)
    text = _decode(path, raw)
    if suffix in (".html", ".htm"):
        from index.html import html_to_article_fields

        fields = html_to_article_fields(text)
        return _finish(Article(doc_id=path.stem, text=fields["text"], title=fields["title"], source=fields["source"],
                               published_at=fields["published_at"], path=str(path)), path)
    if suffix in (".md", ".markdown"):
        title, body = _markdown(text)
        return _finish(Article(doc_id=path.stem, text=clean_text(body), title=title, path=str(path)), path)
    cleaned = clean_text(text)
    return _finish(Article(doc_id=path.stem, text=cleaned, title=_title_line(cleaned), path=str(path)), path)


def load_jsonl(path: Path) -> LoadResult:
    """Articles from a JSON Lines file, one object a line with a "body" string; a bad line is reported with
    its line number and the others are kept."""
    result = LoadResult()
    try:
        f = open(path, "rb")  # noqa: SIM115 (the `with f` below closes it; opened apart to word the error)
    except OSError as e:
        raise IngestError(str(path), f"cannot read it ({e.strerror})") from e
    with f:
        head = f.read(8192)
        if not head.strip():
            raise IngestError(str(path), "the file is empty")
        if b"\x00" in head:
            raise IngestError(str(path), "this looks like a binary file, not text")
        f.seek(0)
        for n, raw in enumerate(f, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{n}"
            if len(raw) > MAX_ARTICLE_BYTES:
                result.errors.append(IngestError(where, f"line is {len(raw) / 2**20:.0f} MB; one article may be at "
                                                        f"most {MAX_ARTICLE_BYTES // 2**20} MB"))
                continue
            try:
                result.articles.append(_jsonl_record(raw, n, path, where))
            except IngestError as e:
                result.errors.append(e)
    if not result.articles and not result.errors:
        result.errors.append(IngestError(str(path), "the file holds no articles"))
    return result


def _jsonl_record(raw: bytes, n: int, path: Path, where: str) -> Article:
    try:
        line = raw.decode("utf-8-sig" if n == 1 else "utf-8")
    except UnicodeDecodeError as e:
        raise IngestError(where, f"line is not UTF-8 (byte {e.start + 1}); JSON Lines must be UTF-8") from e
    try:
        rec = json.loads(line)
    except json.JSONDecodeError as e:
        raise IngestError(where, f"malformed JSON ({e.msg} at column {e.colno})") from e
    if not isinstance(rec, dict) or not isinstance(rec.get("body"), str):
        raise IngestError(where, 'each line must be a JSON object with a "body" string')
    body = rec["body"]
    if rec.get("format") == "html" or re.match(r"\s*<(!doctype|html|body|article|div|p)\b", body, re.I):
        from index.html import html_to_article_fields

        body = html_to_article_fields(body)["text"]
    return _finish(Article(
        doc_id=str(rec.get("doc_id") or f"{path.stem}-{n}"),
        text=clean_text(body),
        title=clean_text(_str(rec.get("title"))),
        source=_str(rec.get("source")),
        published_at=_str(rec.get("published_at")),
        url=_str(rec.get("url")),
        path=where,
    ), where)


def _str(v) -> str:
    return "" if v is None else str(v).strip()


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_ARTICLE_BYTES:
            raise IngestError(str(path), f"file is {size / 2**20:.0f} MB; one article may be at most "
                                         f"{MAX_ARTICLE_BYTES // 2**20} MB (split it, or put its parts in a "
                                         ".jsonl file, one article a line)")
        return path.read_bytes()
    except OSError as e:
        raise IngestError(str(path), f"cannot read it ({e.strerror})") from e


def _decode(path: Path, raw: bytes) -> str:
    if not raw.strip():
        raise IngestError(str(path), "the file is empty")
    head = raw[:8192]
    if raw[:2] not in (b"\xff\xfe", b"\xfe\xff") and (
            b"\x00" in head or sum(b < 32 and b not in (9, 10, 12, 13) for b in head) > len(head) // 10):
        raise IngestError(str(path), "this looks like a binary file, not text")
    for encoding in ("utf-8-sig", "utf-16") if raw[:2] in (b"\xff\xfe", b"\xfe\xff") else ("utf-8-sig",):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            pass
    # Not UTF-8: most older news files are Windows-1252. Decode it, but say so; and only when the bytes
    # look like text, since random bytes without a NUL decode as Windows-1252 too.
    if not _looks_like_legacy_text(raw):
        raise IngestError(str(path), "this looks like a binary file, not text (it is not UTF-8, and its bytes "
                                     "do not read as Windows-1252 text either)")
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError as e:
        raise IngestError(str(path), "the text is neither UTF-8 nor Windows-1252; convert it to UTF-8") from e
    log.warning("%s is not UTF-8; read it as Windows-1252 (convert it to UTF-8 if letters look wrong)", path)
    return text


def _looks_like_legacy_text(raw: bytes) -> bool:
    """Whether non-UTF-8 bytes read as Western text: mostly ASCII letters and spaces, few bytes above 127
    (accented letters, curly quotes), almost no control bytes. Random bytes are about half above 127."""
    sample = raw[:65536]
    n = len(sample) or 1
    control = n - len(sample.translate(None, _CONTROL_BYTES))
    high = n - len(sample.translate(None, _HIGH_BYTES))
    letters = n - len(sample.translate(None, _LETTER_BYTES))
    return control <= n // 200 and high <= n * 0.3 and letters >= n * 0.5


def _finish(article: Article, where) -> Article:
    if len(article.text.strip()) < MIN_CHARS:
        raise IngestError(str(where), "no article text found (empty after cleaning)")
    return article


def _title_line(text: str) -> str:
    """The first line, when it reads as a headline (short, not ending like a sentence)."""
    first = text.split("\n", 1)[0].strip()
    if 0 < len(first.split()) <= 25 and not first.endswith((".", ":", ";", ",")) and "\n" in text:
        return first
    return ""


def _markdown(text: str) -> tuple[str, str]:
    """Strip Markdown syntax that is not prose (heading marks, emphasis, link targets, images, code fences)."""
    title = ""
    lines = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if re.match(r"^\s*(```|~~~|---+\s*$|\*\*\*+\s*$)", line):
            continue
        m = re.match(r"^\s{0,3}#{1,6}\s+(.*?)\s*#*\s*$", line)
        if m:
            line = m.group(1)
            title = title or line
        line = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", line)
        line = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", line)
        line = re.sub(r"(\*\*|__|\*|_|`)(?=\S)(.+?)(?<=\S)\1", r"\2", line)
        line = re.sub(r"^\s*>\s?", "", line)
        line = re.sub(r"^\s*[-*+]\s+", "", line)
        lines.append(line)
    return title, "\n".join(lines)


def _pdf_article(path: Path, raw: bytes) -> Article:
    import io

    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(raw))
        pages = [p.extract_text() or "" for p in reader.pages]
    except Exception as e:  # pypdf raises many kinds on damaged files; each means "cannot read this one"
        raise IngestError(str(path), f"not a readable PDF ({type(e).__name__}: {e})") from e
    parts, starts, pos = [], [], 0
    for page in pages:
        cleaned = clean_text(page)
        starts.append(pos)
        parts.append(cleaned)
        pos += len(cleaned) + 2
    text = "\n\n".join(parts)
    if not text.strip():
        raise IngestError(str(path), "the PDF has no text layer (scanned images are not supported)")
    title = ""
    try:
        title = (reader.metadata.title or "") if reader.metadata else ""
    except Exception:  # broken metadata must not lose the text
        title = ""
    return Article(doc_id=path.stem, text=text, title=title.strip() or _title_line(text), path=str(path),
                   page_starts=tuple(starts))


