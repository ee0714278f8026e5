"""The embedded local Croissant sandbox: a WSGI app over SQLite, for offline work."""

from __future__ import annotations

from .app import SandboxApp, SandboxCredentials
from .embedded import DATABASE_NAME, database_path, embedded_sandbox
from .faults import DropConnection, FaultConfig
from .server import BackgroundServer
from .store import SandboxStore
from .transport import AsyncSandboxTransport, SandboxTransport

__all__ = [
    "DATABASE_NAME",
    "AsyncSandboxTransport",
    "BackgroundServer",
    "DropConnection",
    "FaultConfig",
    "SandboxApp",
    "SandboxCredentials",
    "SandboxStore",
    "SandboxTransport",
    "database_path",
    "embedded_sandbox",
]
