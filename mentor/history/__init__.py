"""Chat history: past conversations, kept only in the data directory."""
