"""Sign-in with OpenID Connect providers: one generic provider and the Google preset.

A provider is on when its client id is set. The redirect URI each provider must accept is
``<base_url>/api/v1/auth/oidc/<name>/callback`` (``base_url``: ``SOCIAL_PUBLIC_URL``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from social.domain.accounts.oidc_model import OidcProvider

__all__ = ["GOOGLE_ISSUER", "OidcSettings"]

GOOGLE_ISSUER = "https://accounts.google.com"


@dataclass(frozen=True, slots=True)
class OidcSettings:
    oidc_google_client_id: str = ""
    """The Google preset's OAuth client id (issuer https://accounts.google.com); empty: off."""
    oidc_google_client_secret: str = ""
    oidc_provider_name: str = "oidc"
    """The generic provider's name in URLs (``[a-z0-9-]``, not ``google``)."""
    oidc_display_name: str = "OpenID Connect"
    oidc_issuer: str = ""
    """The generic provider's issuer URL exactly as its discovery document states it."""
    oidc_client_id: str = ""
    """The generic provider's client id; empty: off."""
    oidc_client_secret: str = ""
    oidc_scopes: tuple[str, ...] = ("openid", "email", "profile")
    oidc_token_auth: Literal["client_secret_basic", "client_secret_post"] = "client_secret_basic"  # noqa: S105  # a method's name, not a secret
    """How the client secret reaches the token endpoint: client_secret_basic or _post."""
    oidc_login_ttl_s: int = 600
    """How long a started sign-in may take; also the oldest ID token accepted."""
    oidc_clock_leeway_s: int = 60
    """Tolerated clock difference with providers when checking exp and iat."""

    def providers(self) -> dict[str, OidcProvider]:
        """The configured providers by name."""
        found: dict[str, OidcProvider] = {}
        if self.oidc_google_client_id:
            found["google"] = OidcProvider(
                name="google",
                display_name="Google",
                issuer=GOOGLE_ISSUER,
                client_id=self.oidc_google_client_id,
            )
        if self.oidc_client_id and self.oidc_issuer:
            found[self.oidc_provider_name] = OidcProvider(
                name=self.oidc_provider_name,
                display_name=self.oidc_display_name,
                issuer=self.oidc_issuer,
                client_id=self.oidc_client_id,
                scopes=self.oidc_scopes,
            )
        return found

    def secrets(self) -> dict[str, str]:
        """Each configured provider's client secret by name."""
        return {"google": self.oidc_google_client_secret} | {
            self.oidc_provider_name: self.oidc_client_secret
        }
