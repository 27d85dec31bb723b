"""The typed events `stream_answer` yields: the evidence as soon as it is chosen, the answer's text as the
model writes it, and the final, verified `Answer`. Each has `to_dict()` with a "type" field, ready to send
as a server-sent event."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qa.types import Answer, Citation


@dataclass(frozen=True)
class EvidenceFound:
    """The quotes the answer will be written from, before the model starts (numbered as the model sees them)."""
    evidence: tuple[Citation, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"type": "evidence", "evidence": [c.to_dict() for c in self.evidence]}


@dataclass(frozen=True)
class TextDelta:
    """A piece of the answer's text as generated (not yet verified; markers may still be renumbered)."""
    text: str

    def to_dict(self) -> dict[str, Any]:
        return {"type": "text", "text": self.text}


@dataclass(frozen=True)
class Done:
    """The final answer: verified sentences, numbered citations, or a refusal."""
    answer: Answer

    def to_dict(self) -> dict[str, Any]:
        return {"type": "answer", "answer": self.answer.to_dict()}


Event = EvidenceFound | TextDelta | Done
