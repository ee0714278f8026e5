"""Bearer-token authentication for the Croissant API as an ``httpx.Auth``."""

from __future__ import annotations

import asyncio
import json
import math
import re
import threading
import time
from typing import AsyncGenerator, Callable, Generator

import httpx

from ..errors import AuthError, RequestInfo, redact
from .responses import error_from_response

_HEADER_VALUE = re.compile(r"[\x21-\x7e]+")  # visible ASCII: sent as is, never rejected by the HTTP layer
_DEFAULT_LIFETIME = 3600.0


def _spellings(secret: str) -> set[str]:
    """The ways ``secret`` can come back in what a server echoes: as is, and escaped in JSON."""
    return {secret, json.dumps(secret)[1:-1], json.dumps(secret, ensure_ascii=False)[1:-1]}


def _lifetime(expires_in: object) -> float:
    """Seconds a token lasts: ``expires_in`` when a positive finite number, else an hour."""
    try:
        seconds = float(expires_in)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return _DEFAULT_LIFETIME
    return seconds if math.isfinite(seconds) and seconds > 0 else _DEFAULT_LIFETIME


class CroissantAuth(httpx.Auth):
    """Asks ``POST {base}/token`` for a token, caches it, refreshes it once on a 401.

    The token is renewed when less than ``refresh_margin`` of its lifetime is left (at most
    60 s), so a long build never sends an expired token. Concurrent requests share one
    token request: a lock is held while it is fetched. Neither the secret nor the token
    appears in ``repr`` or in any error message.
    """

    requires_response_body = True

    def __init__(
        self,
        client_id: str,
        client_secret: str,
        token_url: str,
        *,
        clock: Callable[[], float] = time.monotonic,
        refresh_margin: float = 0.1,
    ) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._secrets = _spellings(client_secret)  # grows with every token received
        self._token_url = token_url
        self._clock = clock
        self._refresh_margin = refresh_margin
        self._token: str | None = None
        self._refused: AuthError | None = None
        self._renew_at = 0.0
        self.token_requests = 0
        self._thread_lock = threading.Lock()
        self._async_lock: asyncio.Lock | None = None

    def __repr__(self) -> str:
        return f"CroissantAuth(client_id={self._client_id!r}, client_secret='***', token_url={self._token_url!r})"

    # -- shared, I/O-free pieces -------------------------------------------------------
    def _needs_token(self, rejected: str | None) -> bool:
        if self._refused is not None:  # the credentials were refused: do not ask again
            raise self._refused
        if self._token is None or self._clock() >= self._renew_at:
            return True
        return rejected is not None and rejected == self._token

    def token_request(self) -> httpx.Request:
        """The ``POST /token`` request (JSON body, as the API documents)."""
        return httpx.Request(
            "POST",
            self._token_url,
            json={"clientId": self._client_id, "clientSecret": self._client_secret},
        )

    def redact(self, text: str) -> str:
        """``text`` with the client secret and every token received so far masked as ``***``."""
        return redact(text, self._secrets)

    def accept_token(self, response: httpx.Response) -> None:
        """Keep the token of a ``/token`` answer, or raise the error it carries.

        A token that cannot travel in a header unchanged (not a string, empty, or not visible
        ASCII) is refused as it arrives, for good: it is never sent, shown or asked for again.
        """
        info = RequestInfo("POST", httpx.URL(self._token_url).path)
        self.token_requests += 1
        if response.status_code != 200:
            error = error_from_response(response, info, redact=self.redact)
            if isinstance(error, AuthError):
                self._refused = AuthError(
                    f"the client id/secret were refused ({error.message}); "
                    "check CROISSANT_CLIENT_ID and CROISSANT_CLIENT_SECRET for this environment",
                    request=info,
                    status=response.status_code,
                )
                raise self._refused
            raise error
        try:
            body = response.json()
            token = body["access_token"]
        except (ValueError, KeyError, TypeError) as exc:
            raise AuthError("the token endpoint answered without an access_token", request=info, status=200) from exc
        if not isinstance(token, str) or not _HEADER_VALUE.fullmatch(token):
            self._refused = AuthError(
                "the token endpoint returned an unusable token (not a non-empty string of visible ASCII "
                "characters); check that the API URL is Croissant's",
                request=info,
                status=200,
            )
            raise self._refused
        lifetime = _lifetime(body.get("expires_in"))
        self._secrets = self._secrets | _spellings(token)  # a new set: redact() may be iterating the old one
        self._token = token
        self._renew_at = self._clock() + lifetime - min(60.0, lifetime * self._refresh_margin)

    def _persistent_401(self, request: httpx.Request) -> AuthError:
        """A fresh token was refused too: stop asking (every later request fails fast)."""
        self._refused = AuthError(
            "a freshly issued token was refused as well (401 after refresh); the credentials lack access "
            "to this API, check the environment and CROISSANT_CLIENT_ID",
            request=RequestInfo(request.method, request.url.path),
            status=401,
        )
        return self._refused

    def _authorize(self, request: httpx.Request) -> str:
        assert self._token is not None
        request.headers["Authorization"] = f"Bearer {self._token}"
        return self._token

    # -- drivers -----------------------------------------------------------------------
    def sync_auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Authorise a request for the sync client (a thread lock guards the token)."""
        rejected: str | None = None
        for attempt in range(2):
            with self._thread_lock:
                if self._needs_token(rejected):
                    token_response = yield self.token_request()
                    token_response.read()
                    self.accept_token(token_response)
                used = self._authorize(request)
            response = yield request
            if response.status_code != 401:
                return
            if attempt == 1:
                raise self._persistent_401(request)
            rejected = used

    async def async_auth_flow(self, request: httpx.Request) -> AsyncGenerator[httpx.Request, httpx.Response]:
        """Authorise a request for the async client (an asyncio lock guards the token)."""
        if self._async_lock is None:
            self._async_lock = asyncio.Lock()
        rejected: str | None = None
        for attempt in range(2):
            async with self._async_lock:
                if self._needs_token(rejected):
                    token_response = yield self.token_request()
                    await token_response.aread()
                    self.accept_token(token_response)
                used = self._authorize(request)
            response = yield request
            if response.status_code != 401:
                return
            if attempt == 1:
                raise self._persistent_401(request)
            rejected = used
