"""The thread corpus: the data model, the store, the bundled threads and ingestion."""
