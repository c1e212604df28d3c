"""Any OpenAI-compatible chat server (llama.cpp's server, Ollama, vLLM) via `--llm-url`.

Streams `/chat/completions` over server-sent events. The answer's grammar goes in the `grammar`
field and every sampling setting is sent (mentor.llm.chat_model.Sampling), so a llama.cpp server
(`llama-server` or `python -m llama_cpp.server`) writes under the same rules as a local model;
servers that refuse the request are asked again with the OpenAI fields alone, and the engine's
checks afterwards (citations in range, a cited answer) hold either way.

The server applies its own chat template and may read control tokens in the text, so `<` and `>`
in what is sent become `‹` and `›`: `<|im_end|>` typed by a person reaches the model as text.
Prompt tokens evaluated are read from the usage the server reports: llama-server's `timings`
(`prompt_n`, after its cache), else OpenAI's `usage` less its `cached_tokens`.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Sequence

import httpx

from mentor.llm.chat_model import SAMPLING, Message, ModelError
from mentor.llm.grammar import AnswerShape

#: Assumed when the server does not say: enough for a few turns of tight evidence.
DEFAULT_CONTEXT = 8192
_TIMEOUT = httpx.Timeout(10.0, read=300.0)


class RemoteModel:
    def __init__(self, url: str, context: int = DEFAULT_CONTEXT) -> None:
        self.url = url.rstrip("/")
        if not self.url.startswith(("http://", "https://")):
            raise ModelError(f"--llm-url {url}: expected http://HOST:PORT/v1")
        self.label = self.url
        self.context_window = context
        self.last_prompt_tokens: int | None = None
        self.last_finish: str | None = None
        self.client = httpx.Client(timeout=_TIMEOUT, trust_env=False)
        try:
            listing = self.client.get(f"{self.url}/models")
            listing.raise_for_status()
            body = listing.json()
            models = body.get("data") if isinstance(body, dict) else None
            first = models[0] if isinstance(models, list) and models and isinstance(models[0], dict) else {}
            self.model = str(first.get("id") or "default")
        except (httpx.HTTPError, ValueError, RecursionError) as exc:
            raise ModelError(f"cannot reach the model server at {self.url}: {exc}") from None

    def count_tokens(self, messages: Sequence[Message]) -> int:
        return sum(len(m["content"]) // 4 + 6 for m in messages)  # no tokenizer here: ~4 chars a token

    def tokens_to_read(self, messages: Sequence[Message]) -> None:
        return None  # the server's cache is its own

    def read_prompt(self, messages: Sequence[Message], cancel: threading.Event) -> Iterator[int]:
        """Nothing: the server reads the prompt when asked for the answer (`stream`)."""
        yield from ()

    def stream(self, messages: Sequence[Message], shape: AnswerShape,
               cancel: threading.Event) -> Iterator[str]:
        sent = [{**m, "content": _no_control_tokens(m["content"])} for m in messages]
        body = {"model": self.model, "messages": sent, "stream": True, **SAMPLING.request(),
                "stream_options": {"include_usage": True}, "grammar": shape.grammar()}
        self.last_prompt_tokens = self.last_finish = None
        if cancel.is_set():  # stopped before it was asked
            self.last_finish = "cancelled"
            return
        for attempt in (1, 2):
            try:
                with self.client.stream("POST", f"{self.url}/chat/completions", json=body) as response:
                    if response.status_code in (400, 422) and attempt == 1:
                        for extra in ("grammar", "stream_options", "repeat_penalty", "repeat_last_n", "top_k",
                                      "min_p"):
                            body.pop(extra)
                        continue
                    response.raise_for_status()
                    for line in response.iter_lines():
                        if cancel.is_set():
                            self.last_finish = "cancelled"
                            return
                        if not line.startswith("data:"):
                            continue
                        data = line[5:].strip()
                        if data == "[DONE]":
                            return
                        chunk = json.loads(data)
                        if not isinstance(chunk, dict):
                            raise ModelError(f"the model server at {self.url} failed: expected a JSON object "
                                             f"in each event, got {data[:40]!r}")
                        self.last_prompt_tokens = _evaluated(chunk, self.last_prompt_tokens)
                        self.last_finish = _finish(chunk) or self.last_finish
                        yield from _pieces(chunk)
                    return
            except (httpx.HTTPError, ValueError, RecursionError) as exc:
                raise ModelError(f"the model server at {self.url} failed: {exc}") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _no_control_tokens(text: str) -> str:
    return text.replace("<", "‹").replace(">", "›")


def _evaluated(chunk: dict[str, object], before: int | None) -> int | None:
    """Prompt tokens the server evaluated, from the chunk's `timings` or `usage` if it has them."""
    timings = chunk.get("timings")
    if isinstance(timings, dict) and type(timings.get("prompt_n")) is int:
        return timings["prompt_n"]
    usage = chunk.get("usage")
    if isinstance(usage, dict) and type(usage.get("prompt_tokens")) is int:
        details = usage.get("prompt_tokens_details")
        cached = details.get("cached_tokens") if isinstance(details, dict) else None
        return usage["prompt_tokens"] - (cached if type(cached) is int and 0 <= cached <= usage["prompt_tokens"] else 0)
    return before


def _finish(chunk: dict[str, object]) -> str | None:
    """"length" when the server stopped at `max_tokens`, "stop" when the model finished."""
    choices = chunk.get("choices")
    for choice in choices if isinstance(choices, list) else []:
        reason = choice.get("finish_reason") if isinstance(choice, dict) else None
        if reason == "length":
            return "length"
        if isinstance(reason, str):
            return "stop"
    return None


def _pieces(chunk: dict[str, object]) -> list[str]:
    """The text in one streamed chunk (`choices[].delta.content`); parts of another shape hold none.
    Half a surrogate pair (a JSON escape such as `\\ud800`) is no character: it becomes U+FFFD."""
    choices = chunk.get("choices")
    pieces = []
    for choice in choices if isinstance(choices, list) else []:
        delta = choice.get("delta") if isinstance(choice, dict) else None
        content = delta.get("content") if isinstance(delta, dict) else None
        if isinstance(content, str) and content:
            pieces.append(_SURROGATE.sub("\ufffd", content))
    return pieces
