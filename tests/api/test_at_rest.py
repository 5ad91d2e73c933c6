"""What is stored: argon2id hashes, encrypted emails, hashed refresh tokens (AUTH-2, AUTH-5)."""

from __future__ import annotations

from sqlalchemy import text

from tests.api.conftest import Api


async def test_passwords_are_argon2id_and_emails_are_not_plaintext(api: Api) -> None:
    body = await api.register("alice", email="Alice.Secret@Example.com")
    async with api.database.engine.connect() as connection:
        row = (
            await connection.execute(
                text("SELECT password_hash, email_ciphertext, email_hash, email_key_id FROM users")
            )
        ).one()
        tokens = (await connection.execute(text("SELECT token_hash FROM refresh_tokens"))).all()
        dump = (
            await connection.execute(text("SELECT row_to_json(u)::text FROM users u"))
        ).scalar_one()
    assert row.password_hash.startswith("$argon2id$v=19$m=")
    params = dict(p.split("=") for p in row.password_hash.split("$")[3].split(","))
    assert int(params["m"]) >= 19_456 and int(params["t"]) >= 2
    assert b"secret" not in bytes(row.email_ciphertext).lower()
    assert "secret" not in dump.lower() and "example" not in dump.lower()
    assert len(bytes(row.email_hash)) == 32 and row.email_key_id == "k1"
    assert [bytes(t.token_hash) for t in tokens] != [body["tokens"]["refresh_token"].encode()]
    assert body["tokens"]["refresh_token"] not in dump
    assert body["user"]["email"] == "alice.secret@example.com"
