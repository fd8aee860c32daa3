"""Settings of the worker's HTTP server: where it listens and who may read what it serves."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, SecretStr, field_validator

from streams.settings.base import Section


class HttpSettings(Section):
    """The worker's HTTP server (state views, dashboard, health, metrics) and its access token."""

    title: ClassVar[str] = "HTTP"

    web_host: str = Field(
        "127.0.0.1", description="Interface the worker's HTTP server binds to: the loopback address by default, so "
        "nothing outside the machine reaches it; set `0.0.0.0` (all interfaces) or the pod's address to expose it, "
        "and set api_token when you do."
    )
    web_port: int = Field(6066, ge=1, le=65535, description="Port of the worker's HTTP server.")
    api_token: SecretStr | None = Field(
        None, description="Bearer token every HTTP request must carry (`Authorization: Bearer <token>`) except the "
        "open probes and the dashboard's page and files; unset: no token asked (then keep the server on a trusted "
        "interface). The dashboard's page asks for it once per browser tab. Never logged or shown."
    )
    open_probes: bool = Field(
        True, description="Leave `GET /health` and `GET /metrics` open without the token (for orchestrators and "
        "Prometheus, which reveal no user's data); `false` puts them behind it too."
    )

    @field_validator("api_token", mode="before")
    @classmethod
    def _empty_token_is_no_token(cls, value):
        """``SHOPSTREAM_API_TOKEN=`` (empty, e.g. from an unset compose variable) means no token, never an empty one."""
        return None if value in ("", None) else value
