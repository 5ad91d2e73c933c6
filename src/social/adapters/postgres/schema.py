"""Every table, registered in one ``MetaData`` (for Alembic and the tests)."""

from __future__ import annotations

from advanced_alchemy.base import UUIDv7Base

from social.adapters.postgres import (
    account_tables,
    account_token_tables,
    activity_tables,
    event_tables,
    export_tables,
    face_tables,
    graph_tables,
    interaction_tables,
    media_tables,
    moderation_tables,
    notification_tables,
    oauth_tables,
    oidc_tables,
    outbox_tables,
    post_tables,
    push_tables,
    search_queue_tables,
    search_tables,
    suggestion_tables,
    two_factor_tables,
)

__all__ = ["metadata"]

metadata = UUIDv7Base.metadata
assert account_tables.UserRow.metadata is metadata
assert account_token_tables.UsernameHoldRow.metadata is metadata
assert activity_tables.ActivityRow.metadata is metadata
assert export_tables.DataExportRow.metadata is metadata
assert face_tables.FaceEmbeddingRow.metadata is metadata
assert graph_tables.FollowRow.metadata is metadata
assert media_tables.MediaRow.metadata is metadata
assert post_tables.PostRow.metadata is metadata
assert push_tables.PushSubscriptionRow.metadata is metadata
assert moderation_tables.ReportRow.metadata is metadata
assert notification_tables.NotificationRow.metadata is metadata
assert oauth_tables.OAuthAppRow.metadata is metadata
assert oidc_tables.OidcIdentityRow.metadata is metadata
assert outbox_tables.OutboxJobRow.metadata is metadata
assert interaction_tables.LikeRow.metadata is metadata
assert search_queue_tables.SearchChangeRow.metadata is metadata
assert search_tables.SearchUserDocumentRow.metadata is metadata
assert suggestion_tables.account_suggestions.metadata is metadata
assert two_factor_tables.TotpCredentialRow.metadata is metadata
assert event_tables.EventRow.metadata is metadata
