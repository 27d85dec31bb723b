"""The public result types: `Answer`, `Sentence` and `Citation`. Plain dataclasses, JSON-serialisable with
`to_dict()`, so that llama-index types never leak out of `qa`."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Citation:
    number: int  # the n of "[n]" in Answer.text
    doc_id: str
    title: str
    quote: str  # exact text of the stored article: article.text[start:end] == quote
    start: int
    end: int
    score: float  # how strongly the quote supports the sentence(s) citing it, 0..1
    supported: bool = True
    source: str = ""
    published_at: str = ""
    url: str = ""
    page: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Sentence:
    text: str  # without its markers
    citations: list[int]  # citation numbers
    supported: bool
    support: float = 0.0  # the verifier's score, 0..1
    reason: str = ""  # why a sentence left out was not supported ("contradicts its citation", ...)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Source:
    """A retrieved passage shown when nothing is cited (a refusal lists what came closest)."""

    doc_id: str
    title: str
    quote: str
    start: int
    end: int
    score: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Answer:
    question: str
    text: str
    citations: list[Citation] = field(default_factory=list)
    refused: bool = False
    sentences: list[Sentence] = field(default_factory=list)
    short_answer: str = ""  # a few words, only when a verified sentence states them
    short_citations: list[int] = field(default_factory=list)  # the citations of that sentence
    standalone_question: str = ""  # the question actually searched (a follow-up, rewritten)
    conflict: bool = False  # cited sources disagree on a fact the answer rests on
    extractive: bool = False  # passages quoted because no sentence the model wrote survived checking
    closest: list[Source] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    model: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "question": self.question,
            "text": self.text,
            "citations": [c.to_dict() for c in self.citations],
            "refused": self.refused,
            "sentences": [s.to_dict() for s in self.sentences],
            "short_answer": self.short_answer,
            "short_citations": self.short_citations,
            "standalone_question": self.standalone_question,
            "conflict": self.conflict,
            "extractive": self.extractive,
            "closest": [s.to_dict() for s in self.closest],
            "timings": self.timings,
            "model": self.model,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Answer:
        """An `Answer` from its `to_dict()` (as the HTTP API sends it); unknown keys are ignored."""
        fields = {k: v for k, v in d.items() if k in cls.__dataclass_fields__}
        fields["citations"] = [Citation(**c) for c in d.get("citations", [])]
        fields["sentences"] = [Sentence(**s) for s in d.get("sentences", [])]
        fields["closest"] = [Source(**s) for s in d.get("closest", [])]
        return cls(**fields)
