"""Domain errors: what went wrong in business terms; adapters translate them at the edge."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

__all__ = [
    "AuthenticationFailed",
    "Conflict",
    "DomainError",
    "ErrorCollector",
    "FieldError",
    "Forbidden",
    "Invalid",
    "NotFound",
    "RateLimited",
    "Unavailable",
]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class FieldError:
    """One invalid input field: the dotted field name and a message a user understands."""

    field: str
    message: str


class DomainError(Exception):
    """Base of every error a use case raises on purpose; ``code`` is stable for clients."""

    code = "domain-error"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know it exists."""

    code = "not-found"


class Conflict(DomainError):
    """The request clashes with existing state (a taken username, say)."""

    code = "conflict"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class Forbidden(DomainError):
    """The caller is known but may not do this."""

    code = "forbidden"


class AuthenticationFailed(DomainError):
    """Credentials or a token were wrong, expired or revoked; never says which."""

    code = "unauthorized"


class Invalid(DomainError):
    """Input broke a domain rule; ``errors`` names each field."""

    code = "validation-failed"

    def __init__(self, errors: list[FieldError] | FieldError, message: str = "") -> None:
        self.errors = [errors] if isinstance(errors, FieldError) else list(errors)
        super().__init__(message or "; ".join(f"{e.field}: {e.message}" for e in self.errors))

    @classmethod
    def field(cls, field: str, message: str) -> Invalid:
        return cls(FieldError(field, message))


class RateLimited(DomainError):
    """Too many requests of a kind; try again after ``retry_after_s`` seconds."""

    code = "rate-limited"

    def __init__(self, message: str, *, retry_after_s: int) -> None:
        super().__init__(message)
        self.retry_after_s = retry_after_s


class Unavailable(DomainError):
    """A dependency the request needs is down; the caller may retry later."""

    code = "service-unavailable"

    def __init__(self, message: str, *, dependency: str) -> None:
        super().__init__(message)
        self.dependency = dependency


class ErrorCollector:
    """Runs several field checks and raises one ``Invalid`` listing every failure."""

    def __init__(self) -> None:
        self.errors: list[FieldError] = []

    def check(self, parse: Callable[[], T], default: T) -> T:
        try:
            return parse()
        except Invalid as exc:
            self.errors.extend(exc.errors)
            return default

    def raise_if_any(self) -> None:
        if self.errors:
            raise Invalid(self.errors)
