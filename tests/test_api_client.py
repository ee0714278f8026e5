"""The API client against the embedded sandbox, in-process and over a loopback socket."""

from __future__ import annotations

import asyncio
import random

import pytest

from croissant_embed.api import RetryPolicy
from croissant_embed.api.responses import parse_retry_after
from croissant_embed.errors import AuthError, ConflictError, NetworkError, NotFoundError, RateLimitedError, ValidationError
from croissant_embed.sandbox import FaultConfig

from .conftest import SECRET, cart, product

HOSTILE_IDS = ["a/b", "a?b#c", "50%off", "with space", "..", ".", "...", "../../etc/passwd", "caf\u00e9-\U0001f950", "%2F", "a+b&c=d", '"><script>']


def test_many_requests_share_one_token(reach, app):
    with reach.client(app) as client:
        for index in range(20):
            client.put_product(f"p{index}", product())
        assert client.auth.token_requests == 1
    assert app.store.request_count("POST", "/v0/token") == 1
    assert app.store.request_count("PUT", "/v0/products/") == 20


def test_token_renewed_before_it_expires(make_app):
    now = [1000.0]
    app = make_app(token_lifetime=100, clock=lambda: now[0])
    from croissant_embed.api import CroissantClient
    from croissant_embed.sandbox import SandboxTransport

    client = CroissantClient("http://croissant.test/v0", client_id="test-client", client_secret=SECRET, transport=SandboxTransport(app))
    client.auth._clock = lambda: now[0]
    client.put_product("a", product())
    now[0] += 95  # inside the refresh margin: renewed proactively, never sent expired
    client.put_product("a", product())
    assert client.auth.token_requests == 2
    assert app.store.request_count(prefix="/v0/products/") == 2  # no 401 was ever answered


def test_revoked_token_is_refreshed_once_and_the_call_retried(reach, app):
    with reach.client(app) as client:
        client.put_product("a", product())
        app.revoke_tokens()
        client.put_product("a", product(price=9900))
        assert client.auth.token_requests == 2
    assert app.store.get_product("a")["retailPrice"] == 9900


def test_persistent_401_fails_without_a_retry_storm(reach, make_app):
    app = make_app(FaultConfig(token_ttl=0))  # every token is dead on arrival
    with reach.client(app) as client, pytest.raises(AuthError) as caught:
        client.put_product("a", product())
    assert caught.value.status == 401
    assert app.store.request_count("POST", "/v0/token") == 2
    assert app.store.request_count("PUT") == 2


def test_wrong_secret_is_a_clear_error_without_the_secret(reach, app):
    wrong = "sbx_WRONG-canary-1234"
    with reach.client(app, secret=wrong) as client, pytest.raises(AuthError) as caught:
        client.get_product("a")
    message = str(caught.value)
    assert "CROISSANT_CLIENT_SECRET" in message and "refused" in message
    assert wrong not in message and SECRET not in message
    assert app.store.request_count("POST", "/v0/token") == 1


@pytest.mark.parametrize("fault", ["rate_429", "rate_500", "rate_503", "rate_drop_request", "rate_drop_response", "rate_slow"])
def test_every_retryable_fault_is_recovered(reach, make_app, fault):
    app = make_app(FaultConfig(**{fault: 0.4}, slow_seconds=0.5, seed=7))
    with reach.client(app, timeout=0.2) as client:
        for index in range(12):
            client.put_product(f"p{index}", product(price=1000 + index))
    assert sum(app.faults.injected.values()) > 0
    assert {pid: payload["retailPrice"] for pid, payload, _ in app.store.products()} == {f"p{i}": 1000 + i for i in range(12)}


def test_validation_error_surfaces_the_server_message_without_retry(reach, app):
    with reach.client(app) as client, pytest.raises(ValidationError) as caught:
        client.put_product("a", product(price=12.5))
    assert caught.value.status == 422
    assert "retailPrice" in caught.value.message
    assert caught.value.request.method == "PUT"
    assert app.store.request_count("PUT") == 1


def test_unknown_product_is_not_found(reach, app):
    with reach.client(app) as client, pytest.raises(NotFoundError):
        client.get_product("nope")


@pytest.mark.parametrize("hostile_id", HOSTILE_IDS)
def test_hostile_ids_round_trip_exactly(reach, app, hostile_id):
    with reach.client(app) as client:
        client.put_product(hostile_id, product())
        assert client.get_product(hostile_id)["id"] == hostile_id
    assert [pid for pid, _, _ in app.store.products()] == [hostile_id]


def test_cart_is_created_once_when_the_first_answer_is_lost(reach, make_app):
    app = make_app(FaultConfig(rate_drop_response=1.0, scope="POST /v0/carts"))
    with reach.client(app) as client:
        created = client.create_cart(cart())
    assert created["id"] == cart()["id"]
    assert app.store.request_count("POST", "/v0/carts") == 1
    assert len(app.store.carts()) == 1


def test_repeated_create_with_same_body_does_not_duplicate(reach, app):
    with reach.client(app) as client:
        client.create_cart(cart())
        client.create_cart(cart())
        with pytest.raises(ConflictError):
            client.create_cart(cart(confirmationNumber="OTHER"))
    assert len(app.store.carts()) == 1


def test_cart_state_machine(reach, app):
    with reach.client(app) as client:
        client.put_product("shirt-1", product())
        client.create_cart(cart("c1"))
        client.create_cart(cart("c2"))
        assert client.fulfill_cart("c1")["state"] == "fulfilled"
        assert client.fulfill_cart("c1")["state"] == "fulfilled"  # idempotent
        with pytest.raises(ConflictError, match="cannot be cancelled"):
            client.cancel_cart("c1")
        assert client.cancel_cart("c2")["state"] == "cancelled"
        with pytest.raises(ConflictError, match="cannot be fulfilled"):
            client.fulfill_cart("c2")
        with pytest.raises(NotFoundError):
            client.fulfill_cart("c3")
        fetched = client.get_cart("c1")
    assert fetched["products"][0]["buyback"] == {"value": 3560, "timespan": 365, "currency": "USD", "payoutType": "cash"}


def test_unreachable_api_is_a_network_error_after_the_configured_attempts():
    from croissant_embed.api import CroissantClient

    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    client = CroissantClient(f"http://127.0.0.1:{port}/v0", client_id="x", client_secret=SECRET,
                             retry=RetryPolicy(attempts=3, backoff_base=0.001, backoff_cap=0.001))
    with pytest.raises(NetworkError) as caught:
        client.get_product("a")
    assert caught.value.sent is False
    assert SECRET not in str(caught.value)


def test_async_client_syncs_in_bulk_under_faults_with_one_token(reach, make_app):
    app = make_app(FaultConfig.uniform(0.3, seed=3, slow_seconds=0.5))

    async def sync_all() -> int:
        async with reach.async_client(app, timeout=0.2, concurrency=8) as client:
            await asyncio.gather(*(client.put_product(f"p{i}", product(price=2000 + i)) for i in range(60)))
            return client.auth.token_requests

    token_requests = asyncio.run(sync_all())
    assert len(list(app.store.products())) == 60
    assert token_requests <= 2  # one, unless the token request itself met a fault
    assert sum(app.faults.injected.values()) > 0


def test_secret_and_token_never_show_in_reprs(reach, app):
    with reach.client(app) as client:
        client.put_product("a", product())
        token = client.auth._token
        for text in (repr(client), repr(client.auth), repr(app), repr(app.credentials)):
            assert SECRET not in text and token not in text


def test_retry_after_is_honoured_up_to_its_cap():
    policy = RetryPolicy(retry_after_cap=30)
    rng = random.Random(1)
    assert policy.delay(0, RateLimitedError("slow down", retry_after=7), rng) == 7
    assert policy.delay(0, RateLimitedError("slow down", retry_after=500), rng) == 30
    jittered = [policy.delay(3, RateLimitedError("x"), rng) for _ in range(50)]
    assert all(0 <= d <= min(policy.backoff_cap, policy.backoff_base * 8) for d in jittered) and len(set(jittered)) > 1


def test_retry_after_accepts_seconds_and_http_dates():
    assert parse_retry_after("12") == 12
    assert parse_retry_after("Thu, 01 Jan 2026 00:00:10 GMT", now=1767225600.0) == 10
    assert parse_retry_after("soon") is None
