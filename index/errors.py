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
