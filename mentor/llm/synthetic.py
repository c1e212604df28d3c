"""Random-weight GGUF chat models, for tests and benchmarks (no weights can be downloaded here).

    python -m mentor.llm.synthetic OUT.gguf [--shape tiny|small|mini|qwen2.5-0.5b] [--quant f32|f16|q8_0]

The model is a real llama-architecture GGUF that llama.cpp loads and runs: a byte-level BPE
vocabulary (the 256 byte tokens, a few merges, ChatML control tokens), a ChatML chat template,
and random weights. It writes nonsense, but at the speed and memory of a real model of its
shape, which is what the tests (streaming, grammar, cancel, KV reuse) and benchmarks need.

`tiny` (2 layers, n_embd 64) is about half a megabyte and loads in milliseconds. The
`qwen2.5-0.5b` shape (24 layers, n_embd 896, 14 heads, 2 KV heads, n_ff 4864, vocabulary
151,936) is about 0.5 GB at Q8_0.
"""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

import gguf
import numpy as np

CHATML_TEMPLATE = (
    "{% for message in messages %}{{ '<|im_start|>' + message['role'] + '\\n' + message['content'] "
    "+ '<|im_end|>' + '\\n' }}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\\n' }}"
    "{% endif %}"
)
CONTROL_TOKENS = ("<|endoftext|>", "<|im_start|>", "<|im_end|>")
#: Merges that make common English pieces single tokens (so prompts are not all bytes).
_MERGES = ("Ġ t", "Ġ a", "h e", "i n", "r e", "o n", "Ġt he", "e r", "Ġ s", "a t", "Ġ w", "Ġ o",
           "e n", "Ġ c", "i t", "i s", "a n", "o r", "e s", "Ġ b", "e d", "Ġ f", "in g", "Ġ p")


@dataclass(frozen=True)
class Shape:
    layers: int
    n_embd: int
    heads: int
    kv_heads: int
    n_ff: int
    vocab: int | None  # None: just the byte vocabulary, merges and control tokens
    context: int


SHAPES = {
    "tiny": Shape(layers=2, n_embd=64, heads=4, kv_heads=2, n_ff=128, vocab=None, context=32_768),
    "small": Shape(layers=4, n_embd=256, heads=4, kv_heads=2, n_ff=512, vocab=None, context=32_768),
    # A quick stand-in with a real-size vocabulary (so sampling and the output layer cost what
    # they cost in real models), for benchmarks that must finish in minutes.
    "mini": Shape(layers=8, n_embd=512, heads=8, kv_heads=2, n_ff=1536, vocab=151_936, context=32_768),
    "qwen2.5-0.5b": Shape(layers=24, n_embd=896, heads=14, kv_heads=2, n_ff=4864, vocab=151_936,
                          context=32_768),
}
QUANTS = {"f32": gguf.GGMLQuantizationType.F32, "f16": gguf.GGMLQuantizationType.F16,
          "q8_0": gguf.GGMLQuantizationType.Q8_0}
_FILE_TYPES = {"f32": gguf.LlamaFileType.ALL_F32, "f16": gguf.LlamaFileType.MOSTLY_F16,
               "q8_0": gguf.LlamaFileType.MOSTLY_Q8_0}


def _byte_tokens() -> list[str]:
    """GPT-2's byte-to-unicode mapping: one printable character per byte."""
    printable = list(range(ord("!"), ord("~") + 1)) + list(range(ord("¡"), ord("¬") + 1)) + \
        list(range(ord("®"), ord("ÿ") + 1))
    chars = {b: chr(b) for b in printable}
    extra = 0
    for b in range(256):
        if b not in chars:
            chars[b] = chr(256 + extra)
            extra += 1
    return [chars[b] for b in range(256)]


def vocabulary(size: int | None) -> tuple[list[str], list[int], list[str]]:
    """(tokens, token types, merges): bytes, merged pieces, filler up to `size`, control tokens."""
    tokens = _byte_tokens()
    merges = list(_MERGES)
    tokens += ["".join(m.split(" ")) for m in merges]
    if size is not None:
        filler = size - len(tokens) - len(CONTROL_TOKENS)
        tokens += [f"<unused{i}>" for i in range(max(0, filler))]
    types = [gguf.TokenType.NORMAL] * len(tokens)
    tokens += list(CONTROL_TOKENS)
    types += [gguf.TokenType.CONTROL] * len(CONTROL_TOKENS)
    return tokens, [int(t) for t in types], merges


def write_model(path: Path, shape: str = "tiny", quant: str = "f32", seed: int = 0,
                chat_template: str | None = CHATML_TEMPLATE) -> Path:
    """Write a random-weight chat model of `shape` to `path` and return the path."""
    spec = SHAPES[shape]
    tokens, types, merges = vocabulary(spec.vocab)
    n_vocab = len(tokens)
    rng = np.random.default_rng(seed)
    writer = gguf.GGUFWriter(str(path), "llama")
    writer.add_name(f"mentor-synthetic-{shape}")
    writer.add_context_length(spec.context)
    writer.add_embedding_length(spec.n_embd)
    writer.add_block_count(spec.layers)
    writer.add_feed_forward_length(spec.n_ff)
    writer.add_head_count(spec.heads)
    writer.add_head_count_kv(spec.kv_heads)
    writer.add_rope_dimension_count(spec.n_embd // spec.heads)
    writer.add_layer_norm_rms_eps(1e-6)
    writer.add_rope_freq_base(10000.0)
    writer.add_file_type(_FILE_TYPES[quant])
    writer.add_tokenizer_model("gpt2")
    writer.add_tokenizer_pre("default")
    writer.add_token_list(tokens)
    writer.add_token_types(types)
    writer.add_token_merges(merges)
    writer.add_bos_token_id(tokens.index("<|endoftext|>"))
    writer.add_eos_token_id(tokens.index("<|im_end|>"))
    writer.add_add_bos_token(False)
    if chat_template is not None:
        writer.add_chat_template(chat_template)

    def tensor(name: str, *dims: int, quantize: bool = True) -> None:
        data = (rng.standard_normal(dims, dtype=np.float32) * 0.02).astype(np.float32)
        kind = QUANTS[quant] if quantize and dims[-1] % 32 == 0 else gguf.GGMLQuantizationType.F32
        if kind == gguf.GGMLQuantizationType.F16:
            writer.add_tensor(name, data.astype(np.float16))
        elif kind == gguf.GGMLQuantizationType.Q8_0:
            writer.add_tensor(name, gguf.quants.quantize(data, kind), raw_dtype=kind)
        else:
            writer.add_tensor(name, data)

    def norm(name: str) -> None:
        writer.add_tensor(name, np.ones(spec.n_embd, dtype=np.float32))

    head_dim = spec.n_embd // spec.heads
    tensor("token_embd.weight", n_vocab, spec.n_embd)
    for i in range(spec.layers):
        norm(f"blk.{i}.attn_norm.weight")
        tensor(f"blk.{i}.attn_q.weight", spec.n_embd, spec.n_embd)
        tensor(f"blk.{i}.attn_k.weight", spec.kv_heads * head_dim, spec.n_embd)
        tensor(f"blk.{i}.attn_v.weight", spec.kv_heads * head_dim, spec.n_embd)
        tensor(f"blk.{i}.attn_output.weight", spec.n_embd, spec.n_embd)
        norm(f"blk.{i}.ffn_norm.weight")
        tensor(f"blk.{i}.ffn_gate.weight", spec.n_ff, spec.n_embd)
        tensor(f"blk.{i}.ffn_up.weight", spec.n_ff, spec.n_embd)
        tensor(f"blk.{i}.ffn_down.weight", spec.n_embd, spec.n_ff)
    norm("output_norm.weight")
    tensor("output.weight", n_vocab, spec.n_embd)
    path.parent.mkdir(parents=True, exist_ok=True)
    writer.write_header_to_file()
    writer.write_kv_data_to_file()
    writer.write_tensors_to_file()
    writer.close()
    return path


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--shape", choices=SHAPES, default="tiny")
    parser.add_argument("--quant", choices=QUANTS, default="f32")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-chat-template", action="store_true")
    args = parser.parse_args(argv)
    path = write_model(args.out, args.shape, args.quant, args.seed,
                       None if args.no_chat_template else CHATML_TEMPLATE)
    print(f"{path} ({path.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
