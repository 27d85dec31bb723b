"""The bundled MiniLM embedder: batches cut by length keep every text's own vector, in the order given."""
import numpy as np


def test_batches_end_before_a_much_shorter_text_and_at_the_batch_size(embedder):
    from index.embedding import Embedder

    texts = ["x" * 100, "x" * 90, "x" * 70, "x" * 50, "x" * 40, "x" * 10]
    order = sorted(range(len(texts)), key=lambda i: len(texts[i]), reverse=True)
    assert Embedder(batch_size=64)._batches(texts, order) == [[0, 1, 2], [3, 4], [5]]
    assert Embedder(batch_size=2)._batches(texts, order) == [[0, 1], [2, 3], [4], [5]]


def test_texts_of_any_length_keep_their_own_vectors_in_order(embedder):
    texts = ["Meta took a 49% stake in Scale.",
             "Scale announced in a June 12 press release that it received a significant investment from Meta, and "
             "that Wang will join Meta while also continuing to serve as a director on Scale's board.",
             "Google paused ties.", "OpenAI is phasing out Scale AI due to its new ties to Meta, an OpenAI rival."]
    together = embedder.encode(texts)
    alone = np.vstack([embedder.encode([t]) for t in texts])
    assert together.shape == (4, 384)
    assert np.allclose(together, alone, atol=0.02)
    assert np.allclose(np.linalg.norm(together, axis=1), 1.0, atol=1e-4)
