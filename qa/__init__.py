"""Question answering over the indexed news articles, with citations that quote exact spans.

    from qa import answer
    a = answer("What share of Scale AI did Meta take?")
    print(a.text)            # "... 49% stake ... [1]."
    print(a.citations[0])    # doc_id, quote, start, end ...

Importing `qa` loads nothing heavy; the models load on the first question.
"""
from qa.api import answer, stream_answer
from qa.events import Done, Event, EvidenceFound, TextDelta
from qa.filters import Filters
from qa.types import Answer, Citation, Sentence, Source

__all__ = ["answer", "stream_answer", "Answer", "Citation", "Sentence", "Source", "Filters", "Event",
           "EvidenceFound", "TextDelta", "Done"]
