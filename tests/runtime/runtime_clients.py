"""Clients of the runtime with test settings, for tests that need no settings of their own."""

from __future__ import annotations

from generator.runtime._async_client import AsyncAPIClient
from generator.runtime._client_core import AuthScheme, ClientSettings
from generator.runtime._sync_client import SyncAPIClient

BEARER = ClientSettings(
    default_base_url="https://api.test/v1",
    api_key_env="TEST_API_KEY",
    base_url_env="TEST_BASE_URL",
    schemes=(AuthScheme("Bearer", "bearer"),),
    security=(("Bearer",),),
    user_agent="test/1",
)
OPEN = ClientSettings(  # no credentials needed
    default_base_url="https://api.test",
    api_key_env="TEST_API_KEY",
    base_url_env="TEST_BASE_URL",
    user_agent="test/1",
)


class Client(SyncAPIClient):
    _settings = BEARER


class AsyncClient(AsyncAPIClient):
    _settings = BEARER


class OpenClient(SyncAPIClient):
    _settings = OPEN


class AsyncOpenClient(AsyncAPIClient):
    _settings = OPEN
