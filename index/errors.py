"""Errors raised by the article store. Callers (the command line, the UI) turn them into messages."""


class IndexError_(Exception):
    """Base class of every error raised by `index` (named so as not to shadow the builtin IndexError)."""


class IngestError(IndexError_):
    """An input file or record could not be turned into an article (empty, binary, malformed, ...)."""

    def __init__(self, source: str, reason: str):
        self.source = source
        self.reason = reason
        super().__init__(f"{source}: {reason}")


class StoreError(IndexError_):
    """The on-disk index is missing, locked or unreadable."""


class NotIndexedError(StoreError):
    """No index exists yet in the given directory."""


class IndexMismatchError(StoreError):
    """The index on disk was built with another format, embedding model or chunking parameters."""


class NeedsRecoveryError(StoreError):
    """CURRENT is missing, unreadable or names no complete generation, yet committed generations are on disk.
    Writing now would start a new library beside them, so writes are refused until `Store.recover()`."""


class CorruptIndexError(StoreError):
    """A file of the committed generation cannot be read (truncated, overwritten, not what it claims to be).
    `path` is that file; the message names the command that repairs it."""

    def __init__(self, message: str, path: str = ""):
        self.path = path
        super().__init__(message)


class IndexReadOnlyError(StoreError):
    """The index directory cannot be written (read-only filesystem or no permission). Reads still work."""


class DiskFullError(StoreError):
    """The filesystem ran out of space (or hit a file-size limit) while writing; nothing was committed and
    the partial generation was removed."""
