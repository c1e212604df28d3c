"""Choosing what writes the answers: a server (`--llm-url`), a local GGUF model, or nobody."""

from __future__ import annotations

from dataclasses import dataclass, field

from mentor.config import Settings
from mentor.llm.chat_model import ChatModel, ModelError

HOW_TO_ADD = ("To have a model write the answers: `mentor models pull qwen2.5-0.5b`, put a .gguf "
              "chat model in models/, or pass --model PATH.")


@dataclass
class ModelChoice:
    model: ChatModel | None
    #: Why a model that was asked for is not used, if one was (shown to the person).
    problems: list[str] = field(default_factory=list)

    def status(self) -> str:
        return self.model.label if self.model else "extractive (no model)"


def open_model(settings: Settings) -> ModelChoice:
    """The model the settings point to, loaded; problems are reported, never raised."""
    if settings.llm_url:
        from mentor.llm.remote import RemoteModel

        try:
            return ModelChoice(RemoteModel(settings.llm_url))
        except ModelError as exc:
            return ModelChoice(None, [str(exc)])
    from mentor.llm.discovery import choose_model

    info, problems = choose_model(settings.model)
    if info is None:
        return ModelChoice(None, problems)
    from mentor.llm.local import LocalModel

    try:
        return ModelChoice(LocalModel(info, context=settings.context_window, threads=settings.threads), problems)
    except ModelError as exc:
        return ModelChoice(None, problems + [str(exc)])
