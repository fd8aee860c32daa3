"""The base of every settings section: read from ``SHOPSTREAM_<NAME>`` variables, frozen once loaded."""

from __future__ import annotations

from typing import ClassVar

from pydantic_settings import BaseSettings, SettingsConfigDict


class Section(BaseSettings):
    """One group of settings; ``streams.settings.Settings`` joins every group into one object."""

    model_config = SettingsConfigDict(env_prefix="SHOPSTREAM_", frozen=True, extra="ignore")

    #: The heading of this group in docs/configuration.md.
    title: ClassVar[str] = "Settings"
