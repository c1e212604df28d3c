"""mentor: a private career mentor for product managers, in the terminal."""

__version__ = "0.1.0"
