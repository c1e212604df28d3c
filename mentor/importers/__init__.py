"""Importers: one module per format, `registry` chooses among them by content.

The names are here, apart from the parsers, so the command line can offer them without loading
every importer.
"""

FORMATS = ("plaintext", "markdown", "discourse", "discourse-raw", "reddit", "hackernews")
