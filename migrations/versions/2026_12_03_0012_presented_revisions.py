"""presented revisions: users.revision and posts.revision, bumped by triggers whenever a field
their presented form shows changes (counters excepted), so cached presentations are versioned

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03

The read model caches the presented form of posts and accounts under ``(id, revision)`` and
reads the current revision with every page; a trigger is the one place that cannot forget a
code path (an edit, a rename, an avatar change, media processed or removed, a restore, a
manual fix in psql). Counters and status are read fresh with every page, so changing them does
not bump anything.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

USER_FIELDS = ("username", "display_name", "bio", "website", "avatar_media_id", "created_at")
POST_FIELDS = (
    "caption",
    "tags",
    "mentions",
    "place_name",
    "latitude",
    "longitude",
    "comments_enabled",
    "created_at",
    "edited_at",
)
MEDIA_FIELDS = (
    "kind",
    "status",
    "width",
    "height",
    "blurhash",
    "variants",
    "error",
    "alt_text",
    "duration_s",
)


def _changed(fields: Sequence[str]) -> str:
    old = ", ".join(f"OLD.{f}" for f in fields)
    new = ", ".join(f"NEW.{f}" for f in fields)
    return f"(ROW({old}) IS DISTINCT FROM ROW({new}))"


def upgrade() -> None:
    for table in ("users", "posts"):
        op.add_column(
            table, sa.Column("revision", sa.Integer(), server_default="0", nullable=False)
        )
    # The media trigger finds avatars by media id (and so does the foreign key's ON DELETE SET
    # NULL, which scanned every account for each media row deleted until now).
    op.create_index(
        "ix_users_avatar_media_id",
        "users",
        ["avatar_media_id"],
        postgresql_where=sa.text("avatar_media_id IS NOT NULL"),
    )
    op.execute(
        """
        CREATE FUNCTION social_bump_revision() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            NEW.revision := OLD.revision + 1;
            RETURN NEW;
        END $$
        """
    )
    op.execute(
        f"""
        CREATE TRIGGER trg_users_revision BEFORE UPDATE ON users FOR EACH ROW
        WHEN {_changed(USER_FIELDS)} EXECUTE FUNCTION social_bump_revision()
        """
    )
    op.execute(
        f"""
        CREATE TRIGGER trg_posts_revision BEFORE UPDATE ON posts FOR EACH ROW
        WHEN {_changed(POST_FIELDS)} EXECUTE FUNCTION social_bump_revision()
        """
    )
    # A media item shows inside its post and as its owner's avatar: a change to it (processing
    # done, alt text, removal) is a change to both presentations.
    op.execute(
        """
        CREATE FUNCTION social_media_changed() RETURNS trigger LANGUAGE plpgsql AS $$
        DECLARE
            changed uuid := CASE WHEN TG_OP = 'DELETE' THEN OLD.id ELSE NEW.id END;
        BEGIN
            UPDATE posts SET revision = revision + 1
             WHERE id IN (SELECT post_id FROM post_media WHERE media_id = changed);
            UPDATE users SET revision = revision + 1 WHERE avatar_media_id = changed;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        f"""
        CREATE TRIGGER trg_media_changed AFTER UPDATE ON media FOR EACH ROW
        WHEN {_changed(MEDIA_FIELDS)} EXECUTE FUNCTION social_media_changed()
        """
    )
    op.execute(
        """
        CREATE TRIGGER trg_media_removed AFTER DELETE ON media FOR EACH ROW
        EXECUTE FUNCTION social_media_changed()
        """
    )
    # A post's media links are written with the post and never change after, but a link that
    # goes (its media deleted by hand, say) changes what the post shows.
    op.execute(
        """
        CREATE FUNCTION social_post_media_removed() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            UPDATE posts SET revision = revision + 1 WHERE id = OLD.post_id;
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        """
        CREATE TRIGGER trg_post_media_removed AFTER DELETE ON post_media FOR EACH ROW
        EXECUTE FUNCTION social_post_media_removed()
        """
    )


def downgrade() -> None:
    op.execute("DROP TRIGGER trg_post_media_removed ON post_media")
    op.execute("DROP FUNCTION social_post_media_removed()")
    op.execute("DROP TRIGGER trg_media_removed ON media")
    op.execute("DROP TRIGGER trg_media_changed ON media")
    op.execute("DROP FUNCTION social_media_changed()")
    op.execute("DROP TRIGGER trg_posts_revision ON posts")
    op.execute("DROP TRIGGER trg_users_revision ON users")
    op.execute("DROP FUNCTION social_bump_revision()")
    op.drop_index("ix_users_avatar_media_id", table_name="users")
    for table in ("posts", "users"):
        op.drop_column(table, "revision")
