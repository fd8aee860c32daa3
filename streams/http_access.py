"""Who may read what a worker serves over HTTP: one bearer token in front of every view.

``SHOPSTREAM_API_TOKEN`` set, every request must carry ``Authorization: Bearer <token>``, except
the open paths: the dashboard's page and its static files (they hold no data; the page asks for
the token and sends it with each of its requests) and, while ``SHOPSTREAM_OPEN_PROBES`` is on,
``/health`` and ``/metrics``. The check sits in one aiohttp middleware, so views added later (and
Faust's own ``/table`` and ``/router`` views) are covered without a change. Tokens are compared in
constant time and never logged.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging

from aiohttp import web

from streams.settings import Settings

log = logging.getLogger("shopstream.http")

#: Paths that never need the token: the dashboard's page and files (no data in them).
ALWAYS_OPEN = ("/dashboard", "/dashboard/", "/dashboard/auth")
ALWAYS_OPEN_PREFIXES = ("/dashboard/static/",)
#: Paths open without the token while ``open_probes`` is on: they reveal no user's data.
PROBES = ("/health", "/metrics")


def is_open(path: str, open_probes: bool) -> bool:
    """Whether ``path`` is served without the token."""
    return (path in ALWAYS_OPEN or path.startswith(ALWAYS_OPEN_PREFIXES)
            or (open_probes and path.rstrip("/") in PROBES))


def bearer_matches(authorization: str | None, token: str) -> bool:
    """Whether an ``Authorization`` header carries exactly ``Bearer <token>`` (compared in constant time)."""
    scheme, _, given = (authorization or "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(given.strip().encode(), token.encode())


def allowed(path: str, authorization: str | None, settings: Settings) -> bool:
    """Whether a request for ``path`` with this ``Authorization`` header may be answered."""
    if settings.api_token is None or is_open(path, settings.open_probes):
        return True
    return bearer_matches(authorization, settings.api_token.get_secret_value())


def token_middleware(settings: Settings):
    """The aiohttp middleware that answers 401 to requests ``allowed`` refuses."""

    @web.middleware
    async def require_token(request: web.Request, handler):
        if allowed(request.path, request.headers.get("Authorization"), settings):
            return await handler(request)
        return web.json_response(
            {"error": "this endpoint needs the API token: send `Authorization: Bearer <SHOPSTREAM_API_TOKEN>`"},
            status=401, headers={"WWW-Authenticate": 'Bearer realm="shopstream"'})

    return require_token


def exposed_without_token(settings: Settings) -> bool:
    """Whether the server listens beyond the loopback interface with no token: worth a warning at start."""
    if settings.api_token is not None:
        return False
    try:
        return not ipaddress.ip_address(settings.web_host).is_loopback
    except ValueError:
        return settings.web_host != "localhost"


def install(web_app: web.Application, settings: Settings) -> None:
    """Put the token check in front of every view of ``web_app`` (before the server starts)."""
    web_app.middlewares.append(token_middleware(settings))
    if exposed_without_token(settings):
        log.warning("The HTTP server listens on %s with no SHOPSTREAM_API_TOKEN: anyone who reaches port %d can "
                    "read users' profiles and recommendations. Set SHOPSTREAM_API_TOKEN, or bind 127.0.0.1.",
                    settings.web_host, settings.web_port)
