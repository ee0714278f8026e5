"""croissant-embed: a static-site build step that brings Croissant to product pages."""

from __future__ import annotations

__version__ = "0.1.0"
