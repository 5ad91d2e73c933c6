"""What the OpenSearch indexes hold: the posts index and the users index, with their analyzers.

The posts mapping was laid out for every query from the start (caption analyzers that fold
accents and stem English and Indonesian, the place name, a ``geo_point``). ``created_at`` is
``date_nanos``: a plain ``date`` keeps milliseconds only and would order posts a few
microseconds apart differently from PostgreSQL and break ties on the wrong key.

The users index keeps the username as a keyword (the sort key and cursor) with a folded
(lower-case, ASCII-folded) copy for prefix queries, and the display name folded with an
edge-n-gram copy: a query word matches there exactly when it starts a name word, which is the
port's rule (``search_as_you_type``'s ``bool_prefix`` treats all but the last word as whole words).
"""

from __future__ import annotations

from typing import Any

__all__ = ["INDEX_BODY", "MAX_NAME_PREFIX", "USERS_INDEX_BODY"]

MAX_NAME_PREFIX = 50
"""The longest display-name word prefix indexed (the edge n-grams' ``max_gram``)."""


def _analyzer(*filters: str) -> dict[str, Any]:
    return {
        "type": "custom",
        "tokenizer": "standard",
        "filter": ["lowercase", "asciifolding", *filters],
    }


INDEX_BODY: dict[str, Any] = {
    "settings": {
        "number_of_shards": 1,
        "auto_expand_replicas": "0-1",  # green on one node, one replica once there are two
        "analysis": {
            "filter": {
                "english_possessive": {"type": "stemmer", "language": "possessive_english"},
                "english_stop": {"type": "stop", "stopwords": "_english_"},
                "english_stemmer": {"type": "stemmer", "language": "english"},
                "indonesian_stop": {"type": "stop", "stopwords": "_indonesian_"},
                "indonesian_stemmer": {"type": "stemmer", "language": "indonesian"},
            },
            "analyzer": {
                "folded": _analyzer(),
                "folded_english": _analyzer(
                    "english_possessive", "english_stop", "english_stemmer"
                ),
                "folded_indonesian": _analyzer("indonesian_stop", "indonesian_stemmer"),
            },
        },
    },
    "mappings": {
        "_meta": {"schema_version": 1},
        "dynamic": "strict",
        "properties": {
            "post_id": {"type": "keyword"},
            "author_id": {"type": "keyword"},
            "caption": {
                "type": "text",
                "analyzer": "folded",
                "fields": {
                    "en": {"type": "text", "analyzer": "folded_english"},
                    "id": {"type": "text", "analyzer": "folded_indonesian"},
                },
            },
            "tags": {"type": "keyword"},
            "created_at": {"type": "date_nanos"},
            "visibility": {"type": "keyword"},
            "place_name": {
                "type": "text",
                "analyzer": "folded",
                "fields": {"keyword": {"type": "keyword", "ignore_above": 256}},
            },
            "location": {"type": "geo_point"},
        },
    },
}


USERS_INDEX_BODY: dict[str, Any] = {
    "settings": {
        "number_of_shards": 1,
        "auto_expand_replicas": "0-1",
        "analysis": {
            "normalizer": {
                "folded": {"type": "custom", "filter": ["lowercase", "asciifolding"]},
            },
            "filter": {
                "word_prefixes": {
                    "type": "edge_ngram",
                    "min_gram": 1,
                    "max_gram": MAX_NAME_PREFIX,
                },
            },
            "analyzer": {
                "folded": _analyzer(),
                "folded_prefixes": _analyzer("word_prefixes"),
            },
        },
    },
    "mappings": {
        "_meta": {"schema_version": 1},
        "dynamic": "strict",
        "properties": {
            "user_id": {"type": "keyword"},
            "username": {
                "type": "keyword",
                "fields": {"folded": {"type": "keyword", "normalizer": "folded"}},
            },
            "display_name": {
                "type": "text",
                "analyzer": "folded",
                "fields": {
                    "prefixes": {
                        "type": "text",
                        "analyzer": "folded_prefixes",
                        "search_analyzer": "folded",
                    },
                },
            },
        },
    },
}
