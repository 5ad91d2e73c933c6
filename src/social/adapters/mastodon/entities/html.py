"""Plain text (captions, comments, bios) as the safe HTML of a Mastodon ``content``: every
character escaped, paragraphs in ``<p>``, line breaks as ``<br>``, ``#tags`` and ``@mentions``
linked to this server's tag and profile URLs with Mastodon's classes (clients find hashtags
and mentions by them). Nothing of the input ever becomes markup."""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from html import escape

from social.domain.shared.tags import normalize_tag

__all__ = ["HASHTAG", "MENTION", "text_html"]

HASHTAG = re.compile(r"(?<![\w&])#(\w{1,100})")
"""The domain's hashtag rule (``domain/posts/model.py``; a unit test keeps them equal)."""
MENTION = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{3,30})")
"""The domain's mention rule (same file)."""

_TOKENS = re.compile(f"{HASHTAG.pattern}|{MENTION.pattern}")
_PARAGRAPHS = re.compile(r"\n{2,}")


def text_html(
    text: str,
    tag_url: Callable[[str], str],
    profile_url: Callable[[str], str],
    mentions: Collection[str] | None = None,
) -> str:
    """``text`` as HTML. A ``@name`` is linked when ``mentions`` holds it (the post's parsed
    mentions) or, when ``mentions`` is ``None``, whenever it has a username's shape."""
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return ""
    paragraphs = (
        "<br>".join(_inline(line, tag_url, profile_url, mentions) for line in part.split("\n"))
        for part in _PARAGRAPHS.split(text)
    )
    return "".join(f"<p>{paragraph}</p>" for paragraph in paragraphs)


def _inline(
    line: str,
    tag_url: Callable[[str], str],
    profile_url: Callable[[str], str],
    mentions: Collection[str] | None,
) -> str:
    out: list[str] = []
    at = 0
    for match in _TOKENS.finditer(line):
        tag, name = match.group(1), match.group(2)
        if tag is not None:
            normalized = normalize_tag(tag)
            link = (
                f'<a href="{escape(tag_url(normalized))}" class="mention hashtag" rel="tag">'
                f"#<span>{escape(tag)}</span></a>"
            )
            out += [escape(line[at : match.start()]), link]
            at = match.end()
            continue
        username = name.rstrip(".").lower()
        if len(username) < 3 or (mentions is not None and username not in mentions):
            continue
        end = match.start() + 1 + len(name.rstrip("."))
        link = (
            f'<span class="h-card" translate="no"><a href="{escape(profile_url(username))}" '
            f'class="u-url mention">@<span>{escape(username)}</span></a></span>'
        )
        out += [escape(line[at : match.start()]), link]
        at = end
    out.append(escape(line[at:]))
    return "".join(out)
