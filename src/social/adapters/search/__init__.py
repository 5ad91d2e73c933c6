"""Search-index adapters: OpenSearch in production, PostgreSQL in the embedded mode.

Both answer the ``SearchIndex`` port identically (``tests/contract/test_search_index.py``); the
tag rule they share is the domain's (``normalize_tag``). Import the adapters from their modules:
this package must not pull in opensearchpy for the embedded mode.
"""
