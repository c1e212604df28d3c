"""`mentor add URL`: fetch a Discourse topic or a Reddit thread and import it.

This is the only code in mentor that reaches the network for threads, and only when asked.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import urlencode, urlsplit, urlunsplit

from mentor import __version__
from mentor.corpus.model import Thread
from mentor.errors import ImportFailure, MentorError
from mentor.importers import discourse, reddit
from mentor.importers.json_shape import load_json
from mentor.importers.registry import MAX_FILE_BYTES, decode

_TIMEOUT_S = 30
_DISCOURSE_PATH = re.compile(r"^(?P<prefix>.*?)/t/(?:[^/]+/)?(?P<id>\d+)(?:/\d+)?(?:\.json)?/?$")
_REDDIT_PATH = re.compile(r"/comments/[a-z0-9]+", re.IGNORECASE)
_POSTS_PER_REQUEST = 20


def fetch_thread(url: str) -> Thread:
    """The thread at `url`, a Discourse topic or a Reddit comments page."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise MentorError(f"{url}: expected an http(s):// URL of a Discourse topic or a Reddit thread")
    if _REDDIT_PATH.search(parts.path):
        path = parts.path.rstrip("/")
        json_url = urlunsplit((parts.scheme, parts.netloc, path if path.endswith(".json")
                               else path + ".json", "raw_json=1", ""))
        return _parsed(url, lambda: reddit.from_data(_get_json(json_url), source=url,
                                                      url=url.removesuffix(".json")))
    match = _DISCOURSE_PATH.match(parts.path)
    if match:
        base = urlunsplit((parts.scheme, parts.netloc, match.group("prefix"), "", ""))
        topic_url = f"{base}/t/{match.group('id')}"
        return _parsed(url, lambda: discourse.from_data(_discourse_topic(topic_url), source=url,
                                                        url=topic_url))
    raise MentorError(f"{url}: cannot tell what kind of thread this is: expected a Discourse topic "
                      "(…/t/<slug>/<id>) or a Reddit thread (…/r/<sub>/comments/<id>/…)")


def _parsed(url: str, parse: Callable[[], Thread]) -> Thread:
    try:
        return parse()
    except ImportFailure as failure:
        raise failure.at(url) from None


def _discourse_topic(topic_url: str) -> object:
    """The topic JSON with every post: the first request returns about 20, the rest by id."""
    topic = _get_json(topic_url + ".json")
    stream = topic.get("post_stream", {}) if isinstance(topic, dict) else {}
    posts, ids = stream.get("posts"), stream.get("stream")
    if isinstance(posts, list) and isinstance(ids, list):
        have = {post.get("id") for post in posts if isinstance(post, dict)}
        missing = [post_id for post_id in ids if post_id not in have]
        for start in range(0, len(missing), _POSTS_PER_REQUEST):
            chunk = missing[start:start + _POSTS_PER_REQUEST]
            query = urlencode([("post_ids[]", post_id) for post_id in chunk])
            more = _get_json(f"{topic_url}/posts.json?{query}")
            extra = more.get("post_stream", {}).get("posts", []) if isinstance(more, dict) else []
            posts.extend(post for post in extra if isinstance(post, dict))
    return topic


def _get_json(url: str) -> object:
    request = urllib.request.Request(url, headers={"User-Agent": f"mentor/{__version__}",
                                                   "Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=_TIMEOUT_S) as response:
            body = response.read(MAX_FILE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        raise MentorError(f"{url}: the server answered {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        raise MentorError(f"{url}: cannot fetch ({reason})") from None
    if len(body) > MAX_FILE_BYTES:
        raise MentorError(f"{url}: the response is larger than {MAX_FILE_BYTES} bytes")
    try:
        return load_json(decode(body, url))
    except ImportFailure as failure:
        raise failure.at(url) from None
