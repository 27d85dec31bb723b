"""Errors raised by `qa`. The command line and the UI turn them into a message (and an exit code)."""
from index.articles import InvalidDocIdError
from index.errors import (
    CorruptIndexError,
    DiskFullError,
    IndexError_,
    IndexMismatchError,
    IndexReadOnlyError,
    IngestError,
    NeedsRecoveryError,
    NotIndexedError,
    StoreError,
)


class QAError(Exception):
    """Base class of the errors `qa` raises itself."""


class ModelError(QAError):
    """A language model could not be found, verified or loaded."""


class BackendUnavailable(QAError):
    """An OpenAI-compatible server (QA_LLM_URL) could not be reached or answered with an error."""


__all__ = ["QAError", "ModelError", "BackendUnavailable", "IndexError_", "IndexMismatchError", "IngestError",
           "NotIndexedError", "StoreError", "NeedsRecoveryError", "CorruptIndexError", "IndexReadOnlyError",
           "DiskFullError", "InvalidDocIdError"]
