"""OpenID Connect: the client of providers' discovery, JWKS, token and userinfo endpoints."""
