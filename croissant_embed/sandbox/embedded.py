"""The embedded sandbox of a project: one database file in the state folder, one way to open it."""

from __future__ import annotations

from pathlib import Path

from .app import SandboxApp, SandboxCredentials
from .store import SandboxStore

DATABASE_NAME = "sandbox.sqlite3"
"""The embedded sandbox's database file, inside the state folder (``.croissant/``)."""


def database_path(state_dir: Path) -> Path:
    """Where a project's embedded sandbox keeps its data."""
    return state_dir / DATABASE_NAME


def embedded_sandbox(state_dir: Path, credentials: SandboxCredentials | None = None) -> SandboxApp:
    """The project's embedded sandbox (its database created on first use), with fresh credentials by default."""
    state_dir.mkdir(parents=True, exist_ok=True)
    return SandboxApp(SandboxStore(str(database_path(state_dir))), credentials=credentials or SandboxCredentials.generate())
