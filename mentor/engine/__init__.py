"""The engine: retrieval, the perspective split and answers, behind one event API (engine.py)."""
