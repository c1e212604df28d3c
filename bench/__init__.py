"""Benchmarks, run on demand (`python -m bench`), never part of the test suite."""
