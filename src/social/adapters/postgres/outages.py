"""Which database failures are outages, translated into the domain's ``Unavailable`` here.

An outage is PostgreSQL away, restarting or unreachable: the caller may retry, and the HTTP edge
answers 503 with ``Retry-After``. Anything else the driver raises (a constraint broken, a bad
statement) is a bug and stays a driver error (500). The write engine translates at its two
chokepoints (``database.py``): every checkout of a connection (``OutagePool``: no connection came
free in time, or none could be made) and every failed statement (``translate_outage`` on
``handle_error``: the connection broke under it). The read pool translates its own
(``read_pool.py``). ``is_outage`` is what the composition root hands to the HTTP edge, so that a
driver error raised past those chokepoints is still told apart without the edge importing a
driver.
"""

from __future__ import annotations

import advanced_alchemy.exceptions
import asyncpg  # type: ignore[import-untyped]  # no stubs or py.typed
import sqlalchemy.exc
from sqlalchemy.engine import ExceptionContext
from sqlalchemy.pool import AsyncAdaptedQueuePool, PoolProxiedConnection

from social.domain.shared.errors import Unavailable

__all__ = ["DEPENDENCY", "OutagePool", "is_outage", "translate_outage", "unavailable"]

DEPENDENCY = "database"

_DRIVER_ERRORS = (
    OSError,  # refused, reset, timed out: raised bare while a connection is made
    sqlalchemy.exc.DBAPIError,
    sqlalchemy.exc.TimeoutError,  # no pooled connection came free in time
    advanced_alchemy.exceptions.AdvancedAlchemyError,  # wraps a DBAPIError, even a disconnect
    asyncpg.exceptions.PostgresError,
    asyncpg.exceptions.InterfaceError,
)
"""What the database stack raises; only these are ever judged to be outages."""

_OUTAGES = (
    OSError,
    sqlalchemy.exc.OperationalError,
    sqlalchemy.exc.InterfaceError,
    sqlalchemy.exc.TimeoutError,
    sqlalchemy.exc.DisconnectionError,
    asyncpg.exceptions.PostgresConnectionError,  # class 08: the connection broke
    asyncpg.exceptions.AdminShutdownError,  # 57P01-57P03: the server is stopping or starting
    asyncpg.exceptions.CrashShutdownError,
    asyncpg.exceptions.CannotConnectNowError,
)


def is_outage(exc: BaseException) -> bool:
    """Whether a database error means the database is away (503) rather than a bug (500),
    however deep the driver or the repository library wrapped the cause (advanced-alchemy
    reports a closed connection as an ``IntegrityError``)."""
    if not isinstance(exc, _DRIVER_ERRORS):
        return False
    seen: set[int] = set()
    cause: BaseException | None = exc
    while cause is not None and id(cause) not in seen:
        seen.add(id(cause))
        if isinstance(cause, sqlalchemy.exc.DBAPIError) and cause.connection_invalidated:
            return True
        if isinstance(cause, _OUTAGES):
            return True
        if isinstance(cause, asyncpg.exceptions.InterfaceError) and "is closed" in str(cause):
            return True
        cause = cause.__cause__ or cause.__context__
    return False


def unavailable(exc: BaseException) -> Unavailable:
    """The domain's word for an outage; the caller raises it ``from`` the driver's error."""
    if isinstance(exc, sqlalchemy.exc.TimeoutError):
        return Unavailable("The database is busy; try again shortly.", dependency=DEPENDENCY)
    return Unavailable("The database is not reachable.", dependency=DEPENDENCY)


class OutagePool(AsyncAdaptedQueuePool):
    """SQLAlchemy's pool for asyncio, whose checkout raises ``Unavailable`` when no connection
    came free within the pool timeout or none could be made (refused, timed out, the server
    starting): every session and connection of the engine checks out here, and a connection
    failure at this point is raised bare, past the engine's ``handle_error``."""

    def connect(self) -> PoolProxiedConnection:
        try:
            return super().connect()
        except Exception as exc:
            if is_outage(exc):
                raise unavailable(exc) from exc
            raise


def translate_outage(context: ExceptionContext) -> None:
    """``handle_error`` listener: a statement that failed because the connection broke (or the
    server is shutting down) raises ``Unavailable`` in place of the driver's error, after
    SQLAlchemy has invalidated the connection; the driver's error is its ``__cause__``."""
    if not isinstance(context.original_exception, Exception):
        return  # a cancellation (which SQLAlchemy counts as a disconnect) stays one
    error = context.sqlalchemy_exception or context.original_exception
    if context.is_disconnect or is_outage(error):
        raise unavailable(error)
