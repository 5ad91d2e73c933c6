"""Captions as safe HTML: escaped, paragraphs and line breaks, tags and mentions linked."""

from __future__ import annotations

from social.adapters.mastodon.entities.html import HASHTAG, MENTION, text_html
from social.adapters.mastodon.entities.urls import Urls
from social.domain.posts import model

URLS = Urls("https://social.example")


def html(text: str, mentions: tuple[str, ...] | None = None) -> str:
    return text_html(text, URLS.tag, URLS.profile, mentions)


def test_the_rules_are_the_domains() -> None:
    assert HASHTAG.pattern == model._HASHTAG.pattern
    assert MENTION.pattern == model._MENTION.pattern


def test_paragraphs_and_line_breaks() -> None:
    assert html("one\ntwo\n\n\nthree") == "<p>one<br>two</p><p>three</p>"
    assert html("  \n ") == ""
    assert html("a\r\nb") == "<p>a<br>b</p>"


def test_tags_and_mentions_are_linked() -> None:
    out = html("Sunset #Beach with @alice.", ("alice",))
    assert out == (
        '<p>Sunset <a href="https://social.example/tags/beach" class="mention hashtag" '
        'rel="tag">#<span>Beach</span></a> with <span class="h-card" translate="no">'
        '<a href="https://social.example/@alice" class="u-url mention">@<span>alice</span>'
        "</a></span>.</p>"
    )


def test_a_mention_not_among_the_posts_mentions_stays_text() -> None:
    assert html("hi @bob", ("alice",)) == "<p>hi @bob</p>"
    assert html("mail me at x@bob.com", None) == "<p>mail me at x@bob.com</p>"


def test_hostile_input_never_becomes_markup() -> None:
    hostile = "<script>alert(1)</script> \"quoted\" & 'single' #<b>x</b> @<img src=x onerror=y>"
    out = html(hostile, None)
    assert "<script" not in out and "<img" not in out and "<b>" not in out
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in out
    assert "&quot;quoted&quot; &amp; &#x27;single&#x27;" in out


def test_a_hostile_tag_is_escaped_in_its_link() -> None:
    out = html('#tag"onmouseover=x', None)
    assert out.startswith('<p><a href="https://social.example/tags/tag" class="mention hashtag"')
    assert "&quot;onmouseover=x" in out
    # unicode tags are percent-encoded in the URL, escaped in the text
    assert 'href="https://social.example/tags/%C3%A9t%C3%A9"' in html("#été", None)


def test_an_html_entity_is_not_a_tag() -> None:
    assert html("&#39; ok", None) == "<p>&amp;#39; ok</p>"
