"""`mentor models pull NAME`: download one of a few curated small instruct models.

Files come from the Hugging Face hub through huggingface_hub (which honours `HF_ENDPOINT`,
shows a progress bar and resumes an interrupted download) into its cache, where mentor finds
them. After the download the file's size and SHA-256 are checked against what the hub
publishes for it (the LFS object id); a mismatch deletes the file.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from mentor.errors import MentorError


@dataclass(frozen=True)
class CatalogEntry:
    name: str
    repo: str
    filename: str
    size_note: str
    note: str


CATALOG = {entry.name: entry for entry in (
    CatalogEntry("qwen2.5-0.5b", "Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q4_k_m.gguf",
                 "about 0.4 GB", "quickest; answers in seconds on 2 cores"),
    CatalogEntry("qwen2.5-1.5b", "Qwen/Qwen2.5-1.5B-Instruct-GGUF", "qwen2.5-1.5b-instruct-q4_k_m.gguf",
                 "about 1.1 GB", "better writing, about 3x slower"),
    CatalogEntry("llama3.2-3b", "bartowski/Llama-3.2-3B-Instruct-GGUF", "Llama-3.2-3B-Instruct-Q4_K_M.gguf",
                 "about 2.0 GB", "best of the three; wants 4+ cores"),
)}
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def pull(name: str, progress_class: type | None = None) -> Path:
    """Download the catalog model `name` and return its path (already there: just check it).

    `progress_class` is a tqdm class for the progress bar (default: huggingface_hub's own)."""
    if name not in CATALOG:
        raise MentorError(f"unknown model '{name}' (expected one of: {', '.join(CATALOG)})")
    entry = CATALOG[name]
    from huggingface_hub import get_hf_file_metadata, hf_hub_download, hf_hub_url
    from huggingface_hub.errors import HfHubHTTPError

    try:
        metadata = get_hf_file_metadata(hf_hub_url(entry.repo, entry.filename))
        path = Path(hf_hub_download(entry.repo, entry.filename, tqdm_class=progress_class))
    except (HfHubHTTPError, OSError, ValueError) as exc:
        raise MentorError(f"cannot download {entry.repo}/{entry.filename}: {exc}") from None
    size = path.stat().st_size
    if metadata.size is not None and size != metadata.size:
        _discard(path)
        raise MentorError(f"{path}: {size} bytes, but the hub says {metadata.size}; deleted, pull again")
    expected = (metadata.etag or "").strip('"').lower()
    if _SHA256.match(expected):
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        if digest.hexdigest() != expected:
            _discard(path)
            raise MentorError(f"{path}: SHA-256 {digest.hexdigest()} does not match the hub's {expected}; "
                              "deleted, pull again")
    return path


def _discard(path: Path) -> None:
    """Delete a bad download: the cache's blob and the snapshot's link to it."""
    path.resolve().unlink(missing_ok=True)
    path.unlink(missing_ok=True)
