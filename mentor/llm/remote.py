"""Any OpenAI-compatible chat server (llama.cpp's server, Ollama, vLLM) via `--llm-url`.

Streams `/chat/completions` over server-sent events. The citation grammar is sent in the
`grammar` field, which llama.cpp's servers apply; servers that refuse the field are asked again
without it, and the engine's check afterwards drops any citation out of range either way.
"""

from __future__ import annotations

import json
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
            models = listing.json().get("data") or [{}]
            self.model = str(models[0].get("id") or "default")
        except (httpx.HTTPError, ValueError, AttributeError) as exc:
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
                        if chunk.get("usage"):
                            self.last_prompt_tokens = chunk["usage"].get("prompt_tokens")
                        for choice in chunk.get("choices") or []:
                            piece = (choice.get("delta") or {}).get("content")
                            if piece:
                                yield piece
                    return
            except (httpx.HTTPError, ValueError) as exc:
                raise ModelError(f"the model server at {self.url} failed: {exc}") from None
