"""Verify stage (``build --verify``): does Croissant still hold what the state says it confirmed?

The state only knows what the server confirmed at the time. A product changed or lost on the
server since (by hand, by another tool, by a send from a killed run that landed late) looks
unchanged to a build. Verification asks ``GET /products/{id}`` for each such product and
sends it again when the server's copy differs from the payload or is missing.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any, Mapping

from .errors import ApiError, NotFoundError
from .plan import PlannedProduct, Result, Results
from .sync import drain

if TYPE_CHECKING:
    from .api import AsyncCroissantClient


def holds(payload: Mapping[str, Any], held: Any) -> bool:
    """Whether the server's copy carries every field of the payload with the same value.

    Fields the server adds on its own (its ``id``, timestamps) do not count as a difference.
    """
    return isinstance(held, dict) and all(key in held and held[key] == value for key, value in payload.items())


async def check_confirmed(entries: list[PlannedProduct], client: AsyncCroissantClient, results: Results) -> list[PlannedProduct]:
    """Compare each entry with the server's copy; returns those to send again, as updates.

    An entry that matches is ``verified`` in ``results``; one that differs (or that the
    server lacks) comes back as an ``update``, for the push that follows. A product that
    cannot be read is ``failed``; when the run stops (refused credentials, or the API failing
    again and again), the entries not checked are failed too and the error is raised.
    """
    resend: list[PlannedProduct] = []

    async def check(entry: PlannedProduct) -> None:
        """Read one product back from Croissant and compare."""
        try:
            held = await client.get_product(entry.id)
        except NotFoundError:
            held = None
        if holds(json.loads(entry.payload_json or "{}"), held):
            results[entry.key] = Result("verified")
        else:
            resend.append(replace(entry, action="update"))

    def failed(entry: PlannedProduct, exc: ApiError) -> None:
        results[entry.key] = Result("failed", f"could not verify: {exc}", f"could not verify: {exc.cause}")

    queue = list(reversed(entries))
    try:
        await drain(queue, check, failed, concurrency=client.max_concurrency)
    except ApiError as stop:
        for entry in queue:
            results[entry.key] = Result("failed", f"not verified: {stop}", f"not verified: {stop.cause}")
        raise
    return resend
