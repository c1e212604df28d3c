"""Embedding functions mentor registers with chromadb. None of them downloads anything.

- `LsaEmbedding` (the default, "mentor-lsa"): TF-IDF over mentor's own terms, reduced by
  truncated SVD (latent semantic analysis), fitted to the corpus itself. The fitted model is an
  `.npz` file of plain arrays (vocabulary, idf, SVD components) in the data directory, so it
  loads the same under any scikit-learn version and nothing is unpickled.
- `GgufEmbedding` ("mentor-gguf"): a GGUF embedding model through llama-cpp-python: the sentence
  model all-MiniLM-L6-v2 when its wheel is installed (`mentor.engine.sentence_model`), or one the
  user configures.

`choose_embedding_model` picks between them from the `embedding_model` setting.

Both are registered with chromadb (`register_embedding_function`), and their `get_config` names
the file they were built from: a reopened collection rebuilds its embedding function from that.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space
from chromadb.utils.embedding_functions import register_embedding_function
from scipy.sparse.linalg import svds

from mentor.engine.text import TOKENIZER_VERSION
from mentor.engine.tfidf import Tfidf
from mentor.errors import MentorError

#: The tokenizer an LSA model was fitted with (one fitted with another is refitted).
TOKENIZER_NAME = f"mentor-terms-v{TOKENIZER_VERSION}"

#: The `embedding_model` value that asks for the LSA embedder even when a sentence model is installed.
LSA_SETTING = "lsa"
LSA_DIMENSION = 128
LSA_MIN_DF = 2
LSA_MAX_FEATURES = 60_000
#: Fit the SVD on at most this many documents (a random sample beyond it): enough for the
#: vocabulary's structure, and it keeps indexing a 100k-post corpus quick.
LSA_FIT_SAMPLE = 20_000


def choose_embedding_model(home: Path, setting: str | None) -> str | None:
    """The GGUF embedding model the index of `home` uses, or None for LSA.

    `setting` is the `embedding_model` setting: a GGUF file's path, "lsa" in any case (the fitted
    LSA model, quickest to index), or None: the packaged sentence model when its wheel is
    installed (converted into `<home>/index/` on first use), else LSA. Raises MentorError naming
    the setting when its file does not exist, or when the wheel's files cannot be read or
    converted."""
    from mentor.engine.sentence_model import gguf_path

    if setting and setting.strip().lower() == LSA_SETTING:
        return None
    if setting:
        path = Path(setting).expanduser().resolve()
        if not path.is_file():
            raise MentorError(f"embedding_model (config.toml or $MENTOR_EMBEDDING_MODEL) = {setting!r}: "
                              f"no such file {path}; expected \"{LSA_SETTING}\" or a GGUF embedding "
                              "model's path (unset: the sentence model when installed)")
        return str(path)
    packaged = gguf_path(home / "index")
    return str(packaged) if packaged else None


class _CosineEmbedding(EmbeddingFunction[Documents]):
    """What mentor's embedding functions share: unit vectors compared by cosine."""

    dimension: int

    def default_space(self) -> Space:
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        return ["cosine"]

    def embed(self, texts: list[str]) -> np.ndarray:
        raise NotImplementedError

    def __call__(self, input: Documents) -> Embeddings:
        vectors = self.embed(list(input))
        # chromadb refuses all-zero vectors under cosine; give them a tiny constant direction.
        vectors[~vectors.any(axis=1)] = 1.0 / np.sqrt(self.dimension)
        return list(vectors)


@register_embedding_function
class LsaEmbedding(_CosineEmbedding):
    """TF-IDF + LSA fitted to the corpus; loaded from its `.npz` model file."""

    def __init__(self, model_path: str) -> None:
        self.model_path = model_path
        try:
            with np.load(model_path, allow_pickle=False) as data:
                vocabulary = [str(term) for term in data["vocabulary"]]
                idf = data["idf"]
                # Kept as (vocabulary, dimension) in row order: scipy copies a transposed view
                # into that order on every product (half a millisecond a question at 100k posts).
                self.projection = np.ascontiguousarray(np.asarray(data["components"], dtype=np.float32).T)
                self.params = json.loads(str(data["params"]))
        except (OSError, KeyError, ValueError) as exc:
            raise MentorError(f"cannot load the embedding model {model_path}: {exc}") from None
        self.vectorizer = Tfidf({term: i for i, term in enumerate(vocabulary)}, idf)
        self.fingerprint = str(self.params["fingerprint"])
        self.dimension = int(self.projection.shape[1])

    @staticmethod
    def name() -> str:
        return "mentor-lsa"

    def get_config(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "fingerprint": self.fingerprint,
                "dimension": self.dimension, "params": self.params}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> LsaEmbedding:
        return LsaEmbedding(config["model_path"])

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised vectors, one row per text (a text with no known word maps to zeros)."""
        reduced = self.vectorizer.transform(texts) @ self.projection
        reduced = np.asarray(reduced, dtype=np.float32)
        norms = np.linalg.norm(reduced, axis=1, keepdims=True)
        return reduced / np.where(norms > 0, norms, 1.0)

    @classmethod
    def fit(cls, texts: list[str], folder: Path, dimension: int = LSA_DIMENSION) -> LsaEmbedding:
        """Fit to `texts`, write the model into `folder`, and return it."""
        sample = texts
        if len(texts) > LSA_FIT_SAMPLE:
            picks = np.random.default_rng(0).choice(len(texts), LSA_FIT_SAMPLE, replace=False)
            sample = [texts[i] for i in sorted(picks)]
        tfidf = Tfidf.fit(sample, min_df=LSA_MIN_DF, max_features=LSA_MAX_FEATURES)
        if len(tfidf.vocabulary) < 2:  # too few documents for min_df: keep every word
            tfidf = Tfidf.fit(sample or ["empty corpus"])
        matrix = tfidf.transform(sample)
        k = max(1, min(dimension, matrix.shape[0] - 1, matrix.shape[1] - 1))
        if min(matrix.shape) <= 4 * k:  # small: an exact dense SVD is quick and always works
            _, _, vt = np.linalg.svd(matrix.toarray().astype(np.float64), full_matrices=False)
            components = vt[:k].astype(np.float32)
        else:
            _, _, vt = svds(matrix.astype(np.float64), k=k, random_state=0)
            components = vt[::-1].astype(np.float32)  # largest singular value first
        vocabulary = sorted(tfidf.vocabulary, key=tfidf.vocabulary.get)
        params = {"dimension": k, "min_df": LSA_MIN_DF, "max_features": LSA_MAX_FEATURES,
                  "fitted_on": len(texts), "tokenizer": TOKENIZER_NAME}
        digest = hashlib.sha256(components.tobytes())
        digest.update(json.dumps(vocabulary).encode())
        params["fingerprint"] = digest.hexdigest()[:16]
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"lsa-{params['fingerprint']}.npz"
        partial = path.with_suffix(".partial.npz")
        np.savez_compressed(partial, vocabulary=np.array(vocabulary, dtype=str), idf=tfidf.idf,
                            components=components,
                            params=np.array(json.dumps(params)))
        partial.replace(path)
        return cls(str(path))


@register_embedding_function
class GgufEmbedding(_CosineEmbedding):
    """A GGUF embedding model through llama-cpp-python: the converted sentence model or one the
    user configured; `n_ctx` is the tokens of a text it reads (longer texts are cut)."""

    def __init__(self, model_path: str, n_ctx: int = 512) -> None:
        from mentor.llm.threads import import_llama_cpp, threads_setting

        Llama = import_llama_cpp().Llama  # noqa: N806
        self.model_path = model_path
        self.n_ctx = n_ctx
        if not Path(model_path).is_file():
            raise MentorError(f"embedding model {model_path}: no such file")
        try:
            threads = threads_setting()  # a text is read as a batch: n_threads_batch is what runs
            self.llm = Llama(model_path=model_path, embedding=True, n_ctx=n_ctx, n_threads=threads,
                             n_threads_batch=threads, verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise MentorError(f"cannot load the embedding model {model_path}: {exc}") from None
        self.dimension = int(self.llm.n_embd())
        stat = Path(model_path).stat()
        self.fingerprint = hashlib.sha256(f"{model_path}:{stat.st_size}:{stat.st_mtime_ns}".encode()
                                          ).hexdigest()[:16]

    @staticmethod
    def name() -> str:
        return "mentor-gguf"

    def get_config(self) -> dict[str, Any]:
        return {"model_path": self.model_path, "n_ctx": self.n_ctx, "fingerprint": self.fingerprint,
                "dimension": self.dimension}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> GgufEmbedding:
        return GgufEmbedding(config["model_path"], int(config.get("n_ctx", 512)))

    def embed(self, texts: list[str]) -> np.ndarray:
        """L2-normalised vectors, one row per text; a text longer than the context is cut to it.

        A model that pools (an embedding model) gives one vector a text; a chat model gives one a
        token, averaged here. Texts go one at a time: llama.cpp attends across a whole batch
        under a mask, and batches of posts ran at half the rate (all-MiniLM-L6-v2, 200 posts of
        ~80 tokens on 2 cores, 2026-11-29: 8.5 s batched, 4.2 s one by one)."""
        rows = []
        for text in texts:
            vector = np.asarray(self.llm.embed(text, normalize=True, truncate=True), dtype=np.float32)
            rows.append(vector.mean(axis=0) if vector.ndim == 2 else vector)
        matrix = np.vstack(rows) if rows else np.zeros((0, self.dimension), dtype=np.float32)
        norms = np.linalg.norm(matrix, axis=1, keepdims=True)
        return matrix / np.where(norms > 0, norms, 1.0)
