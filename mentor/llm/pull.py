"""`mentor models pull NAME`: download one of a few curated small instruct models.

Files come from the Hugging Face hub through huggingface_hub (which shows a progress bar and
resumes an interrupted download) into its cache, where mentor finds them (`HF_ENDPOINT` and
`HF_HUB_CACHE` are read when the pull starts). After the download the file's size and SHA-256 are checked against what the hub
publishes for it (the LFS object id); a mismatch deletes the file.

Whatever goes wrong on the way (no network, a name that does not resolve, a TLS failure, a
timeout, an HTTP error, a full disk) becomes one MentorError line that names it: the libraries
below raise their HTTP client's own exceptions, which `describe_failure` reads down their chain
of causes to the system's error.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import re
import socket
import ssl
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

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

    from mentor.llm.discovery import hub_cache

    endpoint = os.environ.get("HF_ENDPOINT") or None  # as set now (huggingface_hub reads it at import)
    url = hf_hub_url(entry.repo, entry.filename, endpoint=endpoint)
    try:
        with _quiet_hub():
            metadata = get_hf_file_metadata(url)
            path = Path(hf_hub_download(entry.repo, entry.filename, tqdm_class=progress_class,
                                        cache_dir=hub_cache(), endpoint=endpoint))
    except Exception as exc:  # the network's and the disk's failures, raised as the HTTP client's own types
        raise MentorError(f"cannot download {entry.name}: {describe_failure(exc, url, entry.size_note)}") from None
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


@contextmanager
def _quiet_hub() -> Iterator[None]:
    """huggingface_hub's own warnings off (its retries, its disk-space guess): the one line
    `pull` raises says what failed."""
    hub_log = logging.getLogger("huggingface_hub")
    level = hub_log.level
    hub_log.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        hub_log.setLevel(level)


def _causes(exc: BaseException) -> Iterator[BaseException]:
    """`exc`, then what it was raised from or during, down to the first error."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def describe_failure(exc: BaseException, url: str, size_note: str = "") -> str:
    """What went wrong reaching `url` or writing its file, in words, on one line."""
    from huggingface_hub.errors import HfHubHTTPError

    host = urlsplit(url).netloc
    causes = list(_causes(exc))
    for cause in causes:
        response = getattr(cause, "response", None) if isinstance(cause, HfHubHTTPError) else None
        status = getattr(response, "status_code", None)
        if status in (401, 403):
            return f"{host} refused access (HTTP {status}): the file needs a login or is not public"
        if status == 404:
            return f"{host} has no {urlsplit(url).path.lstrip('/')} (HTTP 404)"
        if status is not None:
            return f"{host} answered HTTP {status}; try again later"
    for cause in causes:
        if isinstance(cause, socket.gaierror):
            return f"cannot look up {host.split(':')[0]}: no network, or no name service (DNS)"
        if isinstance(cause, ssl.SSLError):
            return f"the secure (TLS) connection to {host} failed ({cause.reason or cause})"
        if isinstance(cause, ConnectionRefusedError):
            return f"{host} refused the connection"
        if isinstance(cause, OSError) and cause.errno in (errno.ENETUNREACH, errno.EHOSTUNREACH):
            return f"no route to {host}: is the network up?"
        if isinstance(cause, OSError) and cause.errno in (errno.ENOSPC, errno.EDQUOT):
            return f"the disk is full ({cause.filename or 'the download'}); the model needs {size_note or 'room'} free"
        if isinstance(cause, (TimeoutError, socket.timeout)) or "Timeout" in type(cause).__name__:
            return f"{host} did not answer in time"
    first = str(exc).strip().splitlines()
    return f"{type(exc).__name__}: {first[0]}" if first else type(exc).__name__
