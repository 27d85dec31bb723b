"""Ingestion jobs: an add of uploaded files or records runs in one background thread (adds are serialised,
as the store commits one generation at a time), reports its progress in embedded chunks, and deletes its
uploaded files when it ends, whatever happens. Files are loaded with `index.loaders.load_paths`, as
`Library.add_paths` does, so that the articles' `path` can be the uploaded name rather than a temporary file.
The last `KEEP` jobs stay queryable. It does not read requests (that is `server.uploads`) and stores nothing
itself (that is `qa.library`)."""
from __future__ import annotations

import logging
import shutil
import threading
import time
import uuid
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from index.loaders import load_paths
from qa.library import IngestReport, Library, Skipped

log = logging.getLogger(__name__)

KEEP = 100


@dataclass
class Job:
    id: str
    files: int
    state: str = "queued"  # queued, running, done, failed
    done: int = 0  # chunks embedded so far
    total: int = 0  # chunks to embed (known once embedding starts)
    report: dict[str, Any] | None = None
    error: str = ""
    created: float = field(default_factory=time.time)
    finished: float | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "state": self.state, "files": self.files,
                "progress": {"chunks_embedded": self.done, "chunks_total": self.total},
                "report": self.report, "error": self.error, "status_url": f"/v1/jobs/{self.id}",
                "created": self.created, "finished": self.finished}


class Jobs:
    def __init__(self, library: Library):
        self.library = library
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.Lock()
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest")

    def submit(self, paths: list[Path], folder: Path) -> tuple[Job, Future]:
        """Add the files at `paths`; `folder` (their temporary folder) is deleted when the job ends."""
        job = Job(uuid.uuid4().hex[:16], files=len(paths))
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > KEEP:
                self._jobs.popitem(last=False)
        return job, self._pool.submit(self._run, job, paths, folder)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _run(self, job: Job, paths: list[Path], folder: Path) -> IngestReport | None:
        job.state = "running"

        def progress(done: int, total: int) -> None:
            job.done, job.total = done, total

        try:
            loaded = load_paths([str(p) for p in paths])
            articles = [replace(a, path=_without_folder(a.path, folder)) for a in loaded.articles]
            skipped = [Skipped(_without_folder(e.source, folder), e.reason) for e in loaded.errors]
            report = self.library.add_articles(articles, progress=progress, skipped=skipped)
            job.report = _without_folder(report.to_dict(), folder)
            job.state = "done"
            return report
        except Exception as e:
            log.exception("ingest job %s failed", job.id)
            job.error, job.state = _without_folder(str(e), folder), "failed"
            return None
        finally:
            shutil.rmtree(folder, ignore_errors=True)  # uploads never outlive their ingest
            job.finished = time.time()


def _without_folder(value: Any, folder: Path) -> Any:
    """`value` with the temporary folder's path taken out of every string (the client knows its file names)."""
    prefix = f"{folder}/"
    if isinstance(value, str):
        return value.replace(prefix, "")
    if isinstance(value, list):
        return [_without_folder(v, folder) for v in value]
    if isinstance(value, dict):
        return {_without_folder(k, folder): _without_folder(v, folder) for k, v in value.items()}
    return value
