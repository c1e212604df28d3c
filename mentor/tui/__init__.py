"""The Textual chat app: a thin shell over the engine's event API (no engine logic here)."""
