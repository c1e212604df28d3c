"""Local language models: finding GGUF files, loading them with llama-cpp-python, writing answers."""
