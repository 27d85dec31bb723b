"""Stable citation numbers on screen: the sources panel numbers the evidence as soon as it is found ([1]..[k],
the numbers the model writes while the answer streams), and the final answer keeps those numbers.

The engine numbers a final answer's citations in order of first use ([1], [2], ...), which is what the HTTP
API and `qa ask` show; on screen that would change [6] into [1] when the answer ends. A citation quoting one
of the evidence passages (same article, same span) is mapped back to its evidence number; one quoting a
passage the panel does not show (a name's answer shown by the sentences of each part of the question,
`qa.generation.Generator.described`) is numbered after them. Presentation only: nothing about which sentence
is supported changes.
"""
from __future__ import annotations

import copy
from collections.abc import Sequence

from qa.text import MARKER
from qa.types import Answer, Citation


def renumbered(answer: Answer, evidence: Sequence[Citation]) -> Answer:
    """A copy of `answer` whose citation numbers are those of the same passages in `evidence` (as
    `EvidenceFound` numbered them); a citation of a passage not in `evidence` gets the next free number."""
    if not evidence or not answer.citations:
        return answer
    by_span = {(e.doc_id, e.start, e.end): e.number for e in evidence}
    used = set(by_span.values())
    mapping: dict[int, int] = {}
    for c in answer.citations:
        n = by_span.get((c.doc_id, c.start, c.end))
        if n is None or n in mapping.values():
            n = max(used | set(mapping.values())) + 1
        mapping[c.number] = n
    out = copy.deepcopy(answer)

    def sub(text: str) -> str:
        return MARKER.sub(lambda m: f"[{mapping.get(int(m.group(1)), int(m.group(1)))}]", text)

    out.text = sub(out.text)
    for c in out.citations:
        c.number = mapping[c.number]
    out.citations.sort(key=lambda c: c.number)
    for s in out.sentences:
        s.citations = [mapping.get(n, n) for n in s.citations]
        s.text = sub(s.text)
    out.short_citations = [mapping.get(n, n) for n in out.short_citations]
    return out
