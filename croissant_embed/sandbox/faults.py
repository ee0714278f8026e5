"""Fault injection for the sandbox: deterministic under a seed, even under concurrency.

The fate of a request is drawn from a hash of the seed, the method, the path and how many
times that method and path were seen before, so the n-th attempt at a given request meets
the same fault in every run, whatever order concurrent requests arrive in.
"""

from __future__ import annotations

import hashlib
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Literal

from ..errors import ConfigError

Fault = Literal["none", "429", "500", "503", "slow", "drop_request", "drop_response"]


class DropConnection(Exception):
    """Raised by the sandbox app to have the server close the connection without answer."""


@dataclass(frozen=True)
class FaultConfig:
    """Fractions of requests (0..1) that meet each fault, and the latencies involved."""

    rate_429: float = 0.0
    rate_500: float = 0.0
    rate_503: float = 0.0
    rate_slow: float = 0.0
    rate_drop_request: float = 0.0
    rate_drop_response: float = 0.0
    latency: float = 0.0
    slow_seconds: float = 5.0
    retry_after: int = 1
    token_ttl: float | None = None
    seed: int = 0
    scope: str = ""
    """Only requests whose "METHOD /path" starts with this meet faults (empty: all)."""

    def __post_init__(self) -> None:
        rates = self._rates()
        problems = [f"fault rate {name} must be between 0 and 1, not {value}" for name, value in rates if not 0 <= value <= 1]
        if sum(value for _, value in rates) > 1:
            problems.append("fault rates must add up to at most 1")
        if self.latency < 0 or self.slow_seconds < 0:
            problems.append("latencies must not be negative")
        if problems:
            raise ConfigError(problems)

    def _rates(self) -> list[tuple[Fault, float]]:
        return [
            ("429", self.rate_429),
            ("500", self.rate_500),
            ("503", self.rate_503),
            ("slow", self.rate_slow),
            ("drop_request", self.rate_drop_request),
            ("drop_response", self.rate_drop_response),
        ]

    @property
    def active(self) -> bool:
        """Whether any fault can happen at all."""
        return any(value for _, value in self._rates())

    @classmethod
    def uniform(
        cls,
        total: float,
        *,
        seed: int = 0,
        latency: float = 0.0,
        slow_seconds: float = 5.0,
        token_ttl: float | None = None,
    ) -> FaultConfig:
        """``total`` of requests failing, spread evenly over every kind of fault."""
        share = total / 6
        return cls(
            rate_429=share,
            rate_500=share,
            rate_503=share,
            rate_slow=share,
            rate_drop_request=share,
            rate_drop_response=share,
            latency=latency,
            slow_seconds=slow_seconds,
            token_ttl=token_ttl,
            seed=seed,
        )


class FaultInjector:
    """Decides the fault each request meets."""

    def __init__(self, config: FaultConfig) -> None:
        self.config = config
        self._seen: Counter[tuple[str, str]] = Counter()
        self._lock = threading.Lock()
        self.injected: Counter[str] = Counter()

    def draw(self, method: str, path: str) -> Fault:
        """The fault for this request (``"none"`` most of the time)."""
        if not self.config.active or not f"{method} {path}".startswith(self.config.scope):
            return "none"
        with self._lock:
            nth = self._seen[(method, path)]
            self._seen[(method, path)] += 1
        digest = hashlib.blake2b(f"{self.config.seed}\0{method}\0{path}\0{nth}".encode(), digest_size=8).digest()
        point = int.from_bytes(digest, "big") / 2**64
        for fault, rate in self.config._rates():
            if point < rate:
                with self._lock:
                    self.injected[fault] += 1
                return fault
            point -= rate
        return "none"
