"""Settings: the config file in the data directory, environment variables and flags.

`<home>/config.toml` (all keys optional):

    model = "/path/to/chat-model.gguf"        # or $MENTOR_MODEL, or --model
    llm_url = "http://127.0.0.1:8080/v1"      # an OpenAI-compatible server, or --llm-url
    chroma_url = "http://127.0.0.1:8000"      # a Chroma server instead of the embedded store
    embedding_model = "lsa"                   # or a GGUF embedding model's path; unset: the sentence
                                              # model when installed, else LSA (engine/embedder.py)
    context_window = 4096                     # tokens a local model attends to (prompt + answer)
    threads = 2                               # llama.cpp threads (default: the physical cores), or $MENTOR_THREADS
    history = true                            # keep chat history (false: like --no-history)

Flags win over the environment, which wins over the file.
"""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path

from mentor.errors import MentorError

CONFIG_FILE = "config.toml"


@dataclass(frozen=True)
class Settings:
    model: str | None = None
    llm_url: str | None = None
    chroma_url: str | None = None
    embedding_model: str | None = None
    context_window: int = 4096
    #: Threads for a local model; None: the physical cores (mentor.llm.threads).
    threads: int | None = None
    history: bool = True

    def with_flags(self, **flags: object) -> Settings:
        """These settings with every flag that was given (not None) put over them."""
        return replace(self, **{k: v for k, v in flags.items() if v is not None})


#: The least value an integer setting takes.
_LEAST = {"context_window": 512, "threads": 1}
#: A setting's type as its error names it to a person editing the file ("must be a int" before).
_KIND = {str: 'text in double quotes ("…")', int: "a whole number",
         bool: "true or false"}
_ENV = {"model": "MENTOR_MODEL", "llm_url": "MENTOR_LLM_URL", "chroma_url": "MENTOR_CHROMA_URL",
        "embedding_model": "MENTOR_EMBEDDING_MODEL"}


def load_settings(home: Path) -> Settings:
    path = home / CONFIG_FILE
    values: dict[str, object] = {}
    if path.exists():
        try:
            text = path.read_text(encoding="utf-8")
            raw = tomllib.loads(text)
        except OSError as exc:
            raise MentorError(f"{path}: cannot read ({exc.strerror or exc})") from None
        except UnicodeDecodeError as exc:
            line = exc.object.count(b"\n", 0, exc.start) + 1
            raise MentorError(f"{path}: not UTF-8 text at line {line} (byte 0x{exc.object[exc.start]:02x}); "
                              "save it as UTF-8") from None
        except tomllib.TOMLDecodeError as exc:
            raise MentorError(f"{path}: not valid TOML ({exc})") from None
        except RecursionError:
            raise MentorError(f"{path}: not valid TOML (nested too deeply)") from None
        except ValueError:  # tomllib's one other error: a number too long to read
            number = re.search(r"(?:\d_?){4301,}", text)
            line = text.count("\n", 0, number.start()) + 1 if number else "?"
            raise MentorError(f"{path}: not valid TOML (a number of more than 4300 digits at line {line})") from None
        known = {f.name: f.type for f in fields(Settings)}
        for key, value in raw.items():
            if key not in known:
                raise MentorError(f"{path}: unknown setting '{key}' (expected one of: {', '.join(known)})")
            expected = {"history": bool, "context_window": int, "threads": int}.get(key, str)
            least = _LEAST.get(key, 0)
            if not isinstance(value, expected) or isinstance(value, bool) is not (expected is bool) or \
                    (expected is int and value < least):
                raise MentorError(f"{path}: '{key}' must be {_KIND[expected]}"
                                  + (f" of at least {least}" if expected is int else ""))
            values[key] = value
    for key, variable in _ENV.items():
        if os.environ.get(variable):
            values[key] = os.environ[variable]
    if os.environ.get("MENTOR_CONTEXT"):
        try:
            values["context_window"] = max(512, int(os.environ["MENTOR_CONTEXT"]))
        except ValueError:
            raise MentorError(f"MENTOR_CONTEXT={os.environ['MENTOR_CONTEXT']}: expected a number of tokens") from None
    if os.environ.get("MENTOR_THREADS"):
        try:
            values["threads"] = int(os.environ["MENTOR_THREADS"])
        except ValueError:
            values["threads"] = 0
        if values["threads"] < 1:
            raise MentorError(f"MENTOR_THREADS={os.environ['MENTOR_THREADS']}: expected a number of threads (1 or more)")
    return Settings(**values)
