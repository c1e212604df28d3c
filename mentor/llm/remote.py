"""Any OpenAI-compatible chat server (llama.cpp's server, Ollama, vLLM) via `--llm-url`.

Streams `/chat/completions` over server-sent events. The citation grammar is sent in the
`grammar` field, which llama.cpp's servers apply; servers that refuse the field are asked again
without it, and the engine's check afterwards drops any citation out of range either way.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator, Sequence

import httpx

from mentor.llm.chat_model import MAX_ANSWER_TOKENS, Message, ModelError
from mentor.llm.grammar import citation_grammar

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

    def stream(self, messages: Sequence[Message], allowed: set[int],
               cancel: threading.Event) -> Iterator[str]:
        body = {"model": self.model, "messages": list(messages), "stream": True,
                "max_tokens": MAX_ANSWER_TOKENS, "temperature": 0.7,
                "stream_options": {"include_usage": True}, "grammar": citation_grammar(allowed)}
        self.last_prompt_tokens = None
        for attempt in (1, 2):
            try:
                with self.client.stream("POST", f"{self.url}/chat/completions", json=body) as response:
                    if response.status_code in (400, 422) and attempt == 1:
                        body.pop("grammar")
                        body.pop("stream_options")
                        continue
                    response.raise_for_status()
                    for line in response.iter_lines():
                        if cancel.is_set():
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
                        usage = chunk.get("usage")
                        if isinstance(usage, dict) and type(usage.get("prompt_tokens")) is int:
                            self.last_prompt_tokens = usage["prompt_tokens"]
                        yield from _pieces(chunk)
                    return
            except (httpx.HTTPError, ValueError, RecursionError) as exc:
                raise ModelError(f"the model server at {self.url} failed: {exc}") from None


_SURROGATE = re.compile("[\ud800-\udfff]")


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
