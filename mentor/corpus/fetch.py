"""`mentor add URL`: fetch a Discourse topic, a Reddit thread or a Hacker News story and import it, whole.

This is the only code in mentor that reaches the network for threads, and only when asked.

- Discourse: the topic's JSON holds its first ~20 posts and the ids of all; the rest are
  fetched 20 at a time from `/t/<id>/posts.json?post_ids[]=…`.
- Reddit: a comment's permalink fetches its whole thread; comments behind "load more" stubs are
  fetched from `/api/morechildren` (up to 100 a request) and "continue this thread" links from
  the comment's own page, up to `MAX_MORE_REQUESTS` requests. Whatever is still missing then (or
  when such a request fails) is said by the thread's coverage, like for a saved page.
- Hacker News: a story's or a comment's page (`news.ycombinator.com/item?id=<id>`), or its item
  in either API (`hn.algolia.com/api/v1/items/<id>`, `hacker-news.firebaseio.com/v0/item/<id>.json`),
  fetches the story with its whole comment tree from the Algolia HN API's items endpoint (one
  request; a comment's item names its story, fetched with a second).
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from collections.abc import Callable
from urllib.parse import parse_qs, urlencode, urlsplit, urlunsplit

from mentor import __version__
from mentor.corpus.model import Thread
from mentor.errors import ImportFailure, MentorError
from mentor.importers import discourse, hackernews, reddit
from mentor.importers.json_shape import load_json
from mentor.importers.registry import MAX_FILE_BYTES, decode

_TIMEOUT_S = 30
_DISCOURSE_PATH = re.compile(r"^(?P<prefix>.*?)/t/(?:[^/]+/)?(?P<id>\d+)(?:/\d+)?(?:\.json)?/?$")
_REDDIT_PATH = re.compile(r"^(?P<thread>.*?/comments/(?P<id>[a-z0-9]+)(?:/[^/]+?)?)(?:/[a-z0-9]+)?/?(?:\.json)?$",
                          re.IGNORECASE)
#: Hacker News's own pages (`/item?id=<id>`), and the items of its two APIs: Algolia's, which
#: holds a story's whole comment tree, and the official one (replies as ids alone).
_HN_SITES = ("news.ycombinator.com",)
_HN_API_ITEM = {"hn.algolia.com": re.compile(r"^/api/v1/items/(?P<id>\d+)/?$"),
                "hacker-news.firebaseio.com": re.compile(r"^/v0/item/(?P<id>\d+)\.json$")}
#: Where a Hacker News item is fetched from, with its whole comment tree (`{id}`: the item's id).
HN_ITEMS_API = hackernews.ITEMS_API
_POSTS_PER_REQUEST = 20
_MORE_PER_REQUEST = 100
#: Requests for comments behind "load more" stubs, at most (100 comments each).
MAX_MORE_REQUESTS = 50


def fetch_thread(url: str) -> Thread:
    """The thread at `url`, a Discourse topic or a Reddit comments page."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise MentorError(f"{url}: expected an http(s):// URL of a Discourse topic, a Reddit thread or a Hacker "
                          "News story")
    if (item_id := _hacker_news_item(url)) is not None:
        return _parsed(url, lambda: hackernews.from_data(_hacker_news_story(item_id), source=url))
    reddit_path = _REDDIT_PATH.match(parts.path)
    if reddit_path:
        thread_path = reddit_path.group("thread")
        site = urlunsplit((parts.scheme, parts.netloc, "", "", ""))
        thread_url = site + thread_path + "/"
        return _parsed(url, lambda: reddit.from_data(_reddit_thread(site, thread_path, reddit_path.group("id")),
                                                      source=url, url=thread_url))
    match = _DISCOURSE_PATH.match(parts.path)
    if match:
        base = urlunsplit((parts.scheme, parts.netloc, match.group("prefix"), "", ""))
        topic_url = f"{base}/t/{match.group('id')}"
        return _parsed(url, lambda: discourse.from_data(_discourse_topic(topic_url), source=url,
                                                        url=topic_url))
    raise MentorError(f"{url}: cannot tell what kind of thread this is: expected a Discourse topic "
                      "(…/t/<slug>/<id>), a Reddit thread (…/r/<sub>/comments/<id>/…) or a Hacker News story "
                      "(https://news.ycombinator.com/item?id=<id>)")


def _hacker_news_item(url: str) -> int | None:
    """The item id of a Hacker News URL (a story's or a comment's page, or its item in either
    API); None for a URL of another site; a MentorError for an HN page that names no item."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host in _HN_API_ITEM:
        match = _HN_API_ITEM[host].match(parts.path)
        if match is None:
            raise MentorError(f"{url}: expected a Hacker News item's URL (https://news.ycombinator.com/item?id=<id>)")
        return int(match["id"])
    if host not in _HN_SITES:
        return None
    ids = parse_qs(parts.query).get("id", [])
    if parts.path.rstrip("/") != "/item" or len(ids) != 1 or not ids[0].isdigit() or len(ids[0]) > 18:
        raise MentorError(f"{url}: this Hacker News page is no story: expected a story's or a comment's page, "
                          "https://news.ycombinator.com/item?id=<id>")
    return int(ids[0])


def _hacker_news_story(item_id: int) -> object:
    """The story of item `item_id` with its whole comment tree, from the Algolia HN API: the
    item itself, or, for a comment (or a poll's option), the story it names (`story_id`)."""
    item = _get_json(HN_ITEMS_API.format(id=item_id))
    if isinstance(item, dict) and item.get("type") in ("comment", "pollopt"):
        story = item.get("story_id") if item.get("type") == "comment" else item.get("parent_id")
        if isinstance(story, int) and not isinstance(story, bool) and story != item_id:
            return _get_json(HN_ITEMS_API.format(id=story))
    return item


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


def _reddit_thread(site: str, thread_path: str, submission_id: str) -> object:
    """The thread's page with the comments behind its "load more" stubs put in place."""
    page = _get_json(f"{site}{thread_path}.json?raw_json=1")
    for _ in range(MAX_MORE_REQUESTS):
        stub = _first_stub(page)
        if stub is None:
            break
        siblings, more = stub
        siblings.remove(more)
        data = more.get("data") if isinstance(more.get("data"), dict) else {}
        children = [c for c in data.get("children", []) if isinstance(c, str)] if isinstance(data.get("children"), list) else []
        try:
            if children:
                query = urlencode({"api_type": "json", "link_id": f"t3_{submission_id}", "raw_json": 1,
                                   "children": ",".join(children[:_MORE_PER_REQUEST])})
                things = _things(_get_json(f"{site}/api/morechildren.json?{query}"))
                if len(children) > _MORE_PER_REQUEST:  # the rest in a later request
                    things.append({"kind": "more", "data": {**data, "children": children[_MORE_PER_REQUEST:],
                                                            "count": max(0, int(data.get("count") or 0) - _MORE_PER_REQUEST)}})
            elif isinstance(data.get("parent_id"), str) and data["parent_id"].startswith("t1_"):
                things = _continued(_get_json(f"{site}{thread_path}/{data['parent_id'][3:]}.json?raw_json=1"))
            else:
                continue
        except MentorError:
            siblings.append({"kind": "more", "data": {**data, "fetched": False}})  # said by coverage
            break
        _attach(page, things, siblings)
    return page


def _first_stub(page: object) -> tuple[list[object], dict[str, object]] | None:
    """The first "load more" stub not yet tried, with the list that holds it."""
    stack = [page[1]] if isinstance(page, list) and len(page) == 2 else []
    while stack:
        listing = stack.pop()
        children = listing.get("data", {}).get("children") if isinstance(listing, dict) and \
            isinstance(listing.get("data"), dict) else None
        if not isinstance(children, list):
            continue
        for child in children:
            if not isinstance(child, dict) or not isinstance(child.get("data"), dict):
                continue
            if child.get("kind") == "more" and child["data"].get("fetched") is not False:
                return children, child
            if isinstance(child["data"].get("replies"), dict):
                stack.append(child["data"]["replies"])
    return None


def _things(answer: object) -> list[dict[str, object]]:
    """The comments (and stubs) a morechildren answer holds, flat."""
    things = answer.get("json", {}).get("data", {}).get("things", []) if isinstance(answer, dict) else []
    return [thing for thing in things if isinstance(thing, dict) and isinstance(thing.get("data"), dict)]


def _continued(page: object) -> list[dict[str, object]]:
    """The replies on a comment's own page ("continue this thread"), as things."""
    try:
        comment = page[1]["data"]["children"][0]["data"]
        return list(comment["replies"]["data"]["children"])
    except (KeyError, IndexError, TypeError):
        return []


def _attach(page: object, things: list[dict[str, object]], default: list[object]) -> None:
    """Put fetched comments under their parents in `page` (by `parent_id`), else in `default`."""
    replies_of: dict[str, list[object]] = {}
    stack = [page[1]]
    while stack:
        listing = stack.pop()
        for child in listing.get("data", {}).get("children", []) if isinstance(listing, dict) else []:
            if isinstance(child, dict) and child.get("kind") == "t1" and isinstance(child.get("data"), dict):
                data = child["data"]
                if not isinstance(data.get("replies"), dict):
                    data["replies"] = {"kind": "Listing", "data": {"children": []}}
                replies_of[f"t1_{data.get('id')}"] = data["replies"]["data"]["children"]
                stack.append(data["replies"])
    for thing in things:
        parent = thing["data"].get("parent_id")
        target = replies_of.get(parent, default) if isinstance(parent, str) else default
        target.append(thing)
        if thing.get("kind") == "t1":
            data = thing["data"]
            if not isinstance(data.get("replies"), dict):
                data["replies"] = {"kind": "Listing", "data": {"children": []}}
            replies_of[f"t1_{data.get('id')}"] = data["replies"]["data"]["children"]


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
