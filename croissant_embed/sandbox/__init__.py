"""The embedded local Croissant sandbox: a WSGI app over SQLite, for offline work."""

from __future__ import annotations

from .app import SandboxApp, SandboxCredentials
from .faults import DropConnection, FaultConfig
from .server import BackgroundServer
from .store import SandboxStore
from .transport import AsyncSandboxTransport, SandboxTransport

__all__ = [
    "AsyncSandboxTransport",
    "BackgroundServer",
    "DropConnection",
    "FaultConfig",
    "SandboxApp",
    "SandboxCredentials",
    "SandboxStore",
    "SandboxTransport",
]
