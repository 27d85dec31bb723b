"""The one place the answering path is built from `Settings`: each component constructed once, with its
backend chosen by family (`qa.llm.make_llm`), and passed in. Nothing loads until the first question.

    assistant = build(Settings.from_env())
    assistant.engine.answer("...")        # answering
    assistant.library.add_paths([...])    # the article library
    assistant.reviews.items()             # citation review
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import cast

from index.backends import open_store as open_backend
from index.embedding import Embedder
from index.pgstore import PgStore
from index.store import Store
from qa.answerability import AnswerabilityPolicy
from qa.assembly import Assembler
from qa.candidates import NameRanker
from qa.conflicts import ConflictFinder
from qa.entailment import EntailmentJudge
from qa.evidence import EvidenceSelector
from qa.followup import FollowupRewriter
from qa.generation import Generator
from qa.library import Library
from qa.llm import LLM, make_llm
from qa.llm_llamacpp import LlamaCppLLM
from qa.pipeline import Components, Engine
from qa.quantities import QuantityRanker
from qa.question import QuestionAnalyzer
from qa.retrieval import HybridRetriever, NewsRetriever
from qa.review import ReviewStore
from qa.settings import Settings
from qa.verdict import PolarJudge
from qa.verify import Verifier

# BM25 is the stronger ranker on news (names, numbers, outlets); MiniLM adds paraphrase recall. The weight and
# the 800-token retrieval unit were chosen on the MultiHop-RAG dev queries (README, "Evaluation").
DENSE_WEIGHT = 0.3
RETRIEVAL_TOP_K = 10


@dataclass(frozen=True)
class Assistant:
    """What the edges (command line, UI, HTTP API) use: answering, the article library, citation review."""
    engine: Engine
    library: Library
    reviews: ReviewStore


def open_store(settings: Settings, embedder: Embedder | None = None) -> Store | PgStore:
    """The library `settings` name: the embedded store in index_dir, or PostgreSQL when store_url is set;
    its vectors made by an OpenAI-compatible endpoint when embed_url is set (recorded as such)."""
    if embedder is None and settings.embed_url:
        from index.embedding_remote import RemoteEmbedder

        embedder = cast(Embedder, RemoteEmbedder(settings.embed_url, model=settings.embed_name,
                                                 api_key=settings.embed_api_key))
    return open_backend(settings.store_url, settings.index_dir, embedder=embedder)


def make_judge(settings: Settings, llm: LLM) -> EntailmentJudge | None:
    """The entailment judge `settings` name (none when judge_model is ""); the answering model itself when
    the judge is that same local model."""
    if not settings.judge_model:
        return None
    if isinstance(llm, LlamaCppLLM) and llm.model == settings.judge_model:
        return EntailmentJudge(llm)
    return EntailmentJudge(LlamaCppLLM(settings.judge_model, cache_dir=settings.model_cache_dir,
                                       n_threads=settings.llm_threads))


def build_engine(settings: Settings, *, store: Store | PgStore | None = None, llm: LLM | None = None) -> Engine:
    """The engine `settings` describe; `store` and `llm` replace the ones they name (evaluation, tests)."""
    store = store or open_store(settings)
    llm = llm or make_llm(settings)
    embedder = store.embedder
    judge = make_judge(settings, llm)
    policy = AnswerabilityPolicy(judge=judge)
    parts = Components(
        rewriter=FollowupRewriter(llm),
        analyzer=QuestionAnalyzer(multihop_rules=settings.multihop_rules),
        retriever=NewsRetriever(HybridRetriever(cast(Store, store), embedder, top_k=RETRIEVAL_TOP_K,
                                                dense_weight=DENSE_WEIGHT),
                                top_k=RETRIEVAL_TOP_K),
        selector=EvidenceSelector(embedder, max_sentences=settings.top_k, multihop_rules=settings.multihop_rules),
        conflicts=ConflictFinder(),
        policy=policy,
        generator=Generator(llm, names=NameRanker(embedder, judge=judge), figures=QuantityRanker(embedder),
                            max_tokens=settings.max_tokens),
        verifier=Verifier(embedder, judge),
        assembler=Assembler(policy, multihop_rules=settings.multihop_rules, judge=judge),
        polar=PolarJudge(judge),
    )
    # The engine reads any store through the snapshot surface both backends share (index/backends.py); its
    # annotation names the embedded one.
    return Engine(cast(Store, store), parts)


def build(settings: Settings, *, store: Store | PgStore | None = None, llm: LLM | None = None) -> Assistant:
    """Everything the edges use, over one store; `store` and `llm` replace the ones `settings` name."""
    store = store or open_store(settings)
    return Assistant(build_engine(settings, store=store, llm=llm), Library(store), open_reviews(store))


def open_reviews(store: Store | PgStore) -> ReviewStore:
    """The citation review of `store`'s library: SQLite beside an embedded index, the library's own database
    for PostgreSQL (so every process sharing the library shares its verdicts)."""
    from qa.review_pg import reviews_at

    return reviews_at(store.url if isinstance(store, PgStore) else "", store.path)
