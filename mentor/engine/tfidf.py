"""TF-IDF vectors over mentor's terms: sublinear tf, smoothed idf, L2-normalised rows.

The same weighting as scikit-learn's `TfidfVectorizer(sublinear_tf=True)`, in a few lines of
numpy/scipy, so the engine does not pay scikit-learn's two-second import on every start.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse

from mentor.engine.text import terms


class Tfidf:
    def __init__(self, vocabulary: dict[str, int], idf: np.ndarray) -> None:
        self.vocabulary = vocabulary
        self.idf = np.asarray(idf, dtype=np.float32)
        self._idf = self.idf.tolist()  # Python floats: the per-word loop is quicker without numpy scalars

    @classmethod
    def fit(cls, texts: Sequence[str], min_df: int = 1, max_features: int | None = None) -> Tfidf:
        return cls.fit_terms([terms(text) for text in texts], min_df, max_features)

    @classmethod
    def fit_terms(cls, documents: Sequence[Sequence[str]], min_df: int = 1,
                  max_features: int | None = None) -> Tfidf:
        """Fitted to documents given as their terms."""
        df: Counter[str] = Counter()
        for document in documents:
            df.update(set(document))
        kept = [(term, count) for term, count in df.items() if count >= min_df]
        if max_features is not None:  # the most frequent terms
            kept.sort(key=lambda item: (-item[1], item[0]))
            kept = kept[:max_features]
        kept.sort()
        vocabulary = {term: i for i, (term, _) in enumerate(kept)}
        counts = np.array([count for _, count in kept], dtype=np.float64)
        idf = np.log((1 + len(documents)) / (1 + counts)) + 1.0
        return cls(vocabulary, idf)

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        return self.transform_terms([terms(text) for text in texts])

    def transform_terms(self, documents: Sequence[Sequence[str]]) -> sparse.csr_matrix:
        """Rows for documents given as their terms."""
        vocabulary, idf = self.vocabulary, self._idf
        indptr, indices, values = [0], [], []
        for document in documents:
            counts = Counter(t for t in document if t in vocabulary)
            weights = [(1.0 + math.log(count)) * idf[vocabulary[term]] for term, count in counts.items()]
            norm = math.sqrt(sum(w * w for w in weights)) or 1.0
            indices.extend(vocabulary[term] for term in counts)
            values.extend(w / norm for w in weights)
            indptr.append(len(indices))
        return sparse.csr_matrix((np.asarray(values, dtype=np.float32), np.asarray(indices, dtype=np.int32),
                                  np.asarray(indptr, dtype=np.int32)), shape=(len(documents), len(vocabulary)))
