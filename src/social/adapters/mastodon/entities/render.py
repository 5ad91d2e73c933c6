"""The renderer handlers use: Mastodon entities as JSON bytes, one renderer per base URL.

A post's or account's Mastodon form is a pure function of its cached native presentation (the
``presented`` bytes of its card), so it is translated once per process and kept in a bounded
dict keyed by those bytes (a ``bytes`` object caches its hash); each response then only writes
what varies (counters, privacy, the viewer's flags), as the native ``cards.py`` does, and a page
costs about what the native one does."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Collection, Iterable, Mapping
from datetime import datetime
from typing import Any
from uuid import UUID

from litestar import Request

from social.adapters.mastodon.entities.accounts import (
    AccountParts,
    account_json,
    account_parts,
    json_text,
)
from social.adapters.mastodon.entities.html import MENTION, text_html
from social.adapters.mastodon.entities.statuses import PostParts, post_parts, status_head
from social.adapters.mastodon.entities.times import rfc3339_json
from social.adapters.mastodon.entities.urls import Urls
from social.domain.reads.model import AccountCard, Comment, PostCard, ViewerFlags

__all__ = ["BASE_URL_OPT", "Entities", "entities_at", "entities_for"]

BASE_URL_OPT = "mastodon_base_url"
"""The route option holding the configured public URL (empty: the request's own base URL)."""

_BOOL = (b"false", b"true")
_VISIBILITY = (b"public", b"private")
_NO_FLAGS = ViewerFlags()


class Entities:
    """Entities under one base URL. The memos are bounded: when one is full it starts over
    (its entries are cheap to make again, and a page re-fills what it needs)."""

    def __init__(self, base_url: str, *, max_entries: int = 20_000) -> None:
        self.urls = Urls(base_url)
        self._max = max_entries
        self._accounts: dict[bytes, AccountParts] = {}
        self._posts: dict[bytes, PostParts] = {}
        self._mentions: dict[str, bytes] = {}
        self._absent: set[str] = set()

    # -- memos ---------------------------------------------------------------------------

    def _account(self, presented: bytes) -> AccountParts:
        found = self._accounts.get(presented)
        if found is None:
            if len(self._accounts) >= self._max:
                self._accounts.clear()
            found = self._accounts[presented] = account_parts(presented, self.urls)
            self._learn(found.username, found.id)
        return found

    def _post(self, presented: bytes) -> PostParts:
        found = self._posts.get(presented)
        if found is None:
            if len(self._posts) >= self._max:
                self._posts.clear()
            found = self._posts[presented] = post_parts(presented, self.urls)
        return found

    def _learn(self, username: str, account_id: str) -> None:
        if len(self._mentions) >= self._max:
            self._mentions.clear()
        self._absent.discard(username)
        text = json_text(username)
        self._mentions[username] = b'{"id":"%s","username":"%b","acct":"%b","url":"%b"}' % (
            account_id.encode(),
            text,
            text,
            json_text(self.urls.profile(username)),
        )

    def learn_ids(self, ids: Mapping[str, UUID]) -> None:
        """Usernames' account ids, for the ``mentions`` of statuses (looked up by the caller
        for the names ``unknown_mentions`` returns)."""
        for username, account_id in ids.items():
            self._learn(username, str(account_id))

    def unknown_mentions(self, cards: Iterable[PostCard], texts: Iterable[str] = ()) -> set[str]:
        """The usernames mentioned by these posts (and texts: comments) whose ids this
        renderer has not learned yet (nor found missing)."""
        known, absent = self._mentions, self._absent
        names = {name for card in cards for name in self._post(card.presented).mentions}
        names.update(name for text in texts for name in _mentioned(text))
        return {name for name in names if name not in known and name not in absent}

    async def resolve_mentions(
        self,
        find: Callable[[Collection[str]], Awaitable[Mapping[str, UUID]]],
        cards: Iterable[PostCard] = (),
        texts: Iterable[str] = (),
    ) -> None:
        """Learn the ids of the accounts these posts and texts mention, with one call of
        ``find`` (the ``FindMentioned`` use case) for the names not met before; a name not
        found is remembered as such (until the memo starts over)."""
        unknown = self.unknown_mentions(cards, texts)
        if not unknown:
            return
        found = await find(unknown)
        self.learn_ids(found)
        if len(self._absent) >= self._max:
            self._absent.clear()
        self._absent.update(unknown - found.keys())

    def _mentions_json(self, names: tuple[str, ...]) -> bytes:
        if not names:
            return b"[]"
        known = self._mentions
        # a username never seen is left out (an unknown or deleted account has no id to give)
        return b"[%b]" % b",".join(known[name] for name in names if name in known)

    # -- entities ------------------------------------------------------------------------

    def post_time(self, card: PostCard) -> datetime:
        """When the post was made (its place in time-ordered lists)."""
        return self._post(card.presented).created_at

    def account(self, card: AccountCard) -> bytes:
        """An ``Account``."""
        return account_json(self._account(card.presented), card.state)

    def account_id(self, card: AccountCard) -> str:
        return self._account(card.presented).id

    def status(self, card: PostCard) -> bytes:
        """A post's ``Status``."""
        post = self._post(card.presented)
        author_state = card.author.state
        author = self._account(card.author.presented)
        state, flags = card.state, card.flags
        return (
            b'%b,"uri":"%b/statuses/%b","url":"%b/%b","visibility":"%b","mentions":%b,'
            b'"account":%b,"reblog":null,"reblogs_count":%d,"favourites_count":%d,'
            b'"replies_count":%d,"favourited":%b,"reblogged":%b,"bookmarked":%b}'
            % (
                post.head,
                author.uri,
                post.id,
                author.profile_url,
                post.id,
                _VISIBILITY[author_state.is_private],
                self._mentions_json(post.mentions),
                account_json(author, author_state),
                state.shares_count,
                state.likes_count,
                state.comments_count,
                _BOOL[flags.liked],
                _BOOL[flags.shared],
                _BOOL[flags.bookmarked],
            )
        )

    def share(
        self, share_id: UUID, created_at: datetime, sharer: AccountCard, post: PostCard
    ) -> bytes:
        """A share as Mastodon's reblog: its own id and account, the post's ``Status`` inside;
        the viewer's flags are the post's (as Mastodon repeats them on the wrapper)."""
        by = self._account(sharer.presented)
        share = str(share_id).encode()
        flags = post.flags
        return (
            b'{"id":"%b","created_at":%b,"edited_at":null,"in_reply_to_id":null,'
            b'"in_reply_to_account_id":null,"content":"","text":"","media_attachments":[],'
            b'"tags":[],"mentions":[],"sensitive":false,"spoiler_text":"","language":null,'
            b'"emojis":[],"poll":null,"card":null,"application":null,"muted":false,'
            b'"pinned":false,"uri":"%b/statuses/%b/activity","url":"%b/%b",'
            b'"visibility":"%b","account":%b,"reblog":%b,"reblogs_count":0,'
            b'"favourites_count":0,"replies_count":0,"favourited":%b,"reblogged":%b,'
            b'"bookmarked":%b}'
            % (
                share,
                rfc3339_json(created_at),
                by.uri,
                share,
                by.profile_url,
                share,
                _VISIBILITY[sharer.state.is_private],
                account_json(by, sharer.state),
                self.status(post),
                _BOOL[flags.liked],
                _BOOL[flags.shared],
                _BOOL[flags.bookmarked],
            )
        )

    def comment(
        self,
        comment: Comment,
        author: AccountCard,
        *,
        in_reply_to_account_id: UUID,
        private: bool,
    ) -> bytes:
        """A comment as a reply: ``in_reply_to_id`` is the post (top-level comment) or the
        comment it answers; ``in_reply_to_account_id`` that one's author; ``private`` whether
        the post's author is private (its visibility is the post's)."""
        by = self._account(author.presented)
        comment_id = str(comment.id)
        mentions = [
            name for name in dict.fromkeys(_mentioned(comment.text)) if name in self._mentions
        ]
        head = status_head(
            comment_id,
            comment.created_at,
            None,
            text_html(comment.text, self.urls.tag, self.urls.profile, mentions),
            comment.text,
            in_reply_to_id=str(comment.parent_id or comment.post_id),
            in_reply_to_account_id=str(in_reply_to_account_id),
        )
        return (
            b'%b,"uri":"%b/statuses/%b","url":"%b/%b","visibility":"%b","mentions":%b,'
            b'"account":%b,"reblog":null,"reblogs_count":0,"favourites_count":0,'
            b'"replies_count":%d,"favourited":false,"reblogged":false,"bookmarked":false}'
            % (
                head,
                by.uri,
                comment_id.encode(),
                by.profile_url,
                comment_id.encode(),
                _VISIBILITY[private],
                self._mentions_json(tuple(mentions)),
                account_json(by, author.state),
                comment.replies_count,
            )
        )

    def tag_url(self, name: str) -> str:
        return self.urls.tag(name)


def _mentioned(text: str) -> list[str]:
    names = (m.rstrip(".").lower() for m in MENTION.findall(text))
    return [name for name in names if len(name) >= 3]


_BY_BASE: dict[str, Entities] = {}


def entities_for(request: Request[Any, Any, Any]) -> Entities:
    """The renderer for this request's base URL: the configured public URL, else the URL the
    request came to."""
    base: str = request.route_handler.opt.get(BASE_URL_OPT) or str(request.base_url).rstrip("/")
    return entities_at(base)


def entities_at(base: str) -> Entities:
    """The renderer for ``base``, shared by every request and socket under it."""
    found = _BY_BASE.get(base)
    if found is None:
        if len(_BY_BASE) >= 8:  # the Host header is the client's: bound what it can make
            _BY_BASE.clear()
        found = _BY_BASE[base] = Entities(base)
    return found
