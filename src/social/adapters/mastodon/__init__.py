"""The Mastodon-compatible client API: a second HTTP adapter over the same use cases, so that
existing Mastodon and Pixelfed apps work against a social server. It only translates: every
rule (visibility, blocks, limits, validation) is the domain's."""
