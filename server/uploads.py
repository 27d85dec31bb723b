"""Receiving articles: uploaded files (multipart) or JSON records, written to a private temporary folder that
the ingestion job deletes. Only the file types the loaders read are accepted, names are reduced to a safe
base name (the doc_id is the name without its extension, as for `qa index add`), and the total size is
bounded. JSON records are written as one .jsonl file, so they take the very path a .jsonl upload takes.
It does not ingest anything (that is `server.jobs`)."""
from __future__ import annotations

import json
import re
import tempfile
from pathlib import Path

from starlette.datastructures import UploadFile

from index.loaders import SUPPORTED
from server.errors import BadRequest, PayloadTooLarge, UnsupportedMediaType
from server.schemas import ArticleRecord

CHUNK = 1 << 20


def new_folder() -> Path:
    return Path(tempfile.mkdtemp(prefix="qa-upload-"))


def safe_name(filename: str) -> str:
    """The base name of an uploaded file, with only letters, digits, '.', '_' and '-' kept."""
    base = re.split(r"[\\/]", filename or "")[-1]
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._")
    if not name or "." not in name:
        raise UnsupportedMediaType(f"file {filename!r} has no extension; allowed: {', '.join(SUPPORTED)}")
    return name


async def save_files(files: list[UploadFile], folder: Path, limit: int) -> list[Path]:
    """Write the uploads into `folder`; refuses a disallowed type (415) or more than `limit` bytes (413)."""
    if not files:
        raise BadRequest("no files: send multipart/form-data with one or more 'files' fields")
    names = [safe_name(f.filename or "") for f in files]
    bad = [n for n in names if Path(n).suffix.lower() not in SUPPORTED]
    if bad:
        raise UnsupportedMediaType(f"file type not allowed: {', '.join(bad)}; allowed: {', '.join(SUPPORTED)}")
    if len(set(names)) != len(names):
        raise BadRequest("two uploaded files have the same name; each file's name is its article's doc_id")
    total, paths = 0, []
    for upload, name in zip(files, names, strict=True):
        path = folder / name
        with path.open("wb") as out:
            while chunk := await upload.read(CHUNK):
                total += len(chunk)
                if total > limit:
                    raise PayloadTooLarge(f"the upload is larger than {limit // 2**20} MB; send fewer files at a time")
                out.write(chunk)
        paths.append(path)
    return paths


def save_records(records: list[ArticleRecord], folder: Path) -> list[Path]:
    """The records as one `articles.jsonl` in `folder` (a record without a doc_id gets 'articles-<n>')."""
    path = folder / "articles.jsonl"
    with path.open("w", encoding="utf-8") as out:
        for r in records:
            out.write(json.dumps(r.model_dump(exclude_none=True), ensure_ascii=False) + "\n")
    return [path]
