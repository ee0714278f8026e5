"""A Jinja2 extension for home-made generators: ``{{ croissant_head() }}`` and ``{{ croissant_pdp(product) }}``.

    env = jinja2.Environment(loader=..., autoescape=True, extensions=["croissant_embed.integrations.jinja.CroissantExtension"])
    env.croissant_settings = croissant_embed.settings.load_settings()   # optional

``croissant_pdp(product)`` takes a mapping (or object) with ``id``, ``price`` (text in major
units, e.g. ``"289.00"``), and optionally ``currency``, ``name``, ``url``, ``image``. It renders
the same snippets as the build step, so running ``croissant-embed build`` afterwards leaves
those pages byte for byte as they are and syncs their products. Put ``croissant_head()``
just before ``</head>``.
"""

from __future__ import annotations

import atexit
import sys
from types import SimpleNamespace
from typing import Any, Mapping

from jinja2 import Environment
from jinja2.ext import Extension
from markupsafe import Markup

from ..render import Renderer
from ..rewrite import wrap
from ..settings import Settings, load_settings


class CroissantExtension(Extension):
    """Adds ``croissant_head`` and ``croissant_pdp`` to the environment's globals."""

    def __init__(self, environment: Environment) -> None:
        super().__init__(environment)
        environment.extend(croissant_settings=None)
        environment.globals["croissant_head"] = self.head
        environment.globals["croissant_pdp"] = self.pdp
        self._renderer: Renderer | None = None
        self.rendered = 0
        """Product components rendered so far (said in one line when the generator ends)."""

    def summary(self) -> str:
        """The one line the extension prints when the generator ends."""
        renderer = self.renderer()
        return (f"croissant-embed: {self.rendered} product component{'s' if self.rendered != 1 else ''} rendered by the Jinja2 "
                f"extension ({renderer.environment}, merchant {renderer.merchant_id}); `croissant-embed build` syncs their products")

    def print_summary(self) -> None:
        """Print :meth:`summary` on standard error (registered to run when the generator's process ends)."""
        print(self.summary(), file=sys.stderr)

    def renderer(self) -> Renderer:
        """The build step's renderer, for the environment's settings."""
        if self._renderer is None:
            settings: Settings = self.environment.croissant_settings or load_settings()  # type: ignore[attr-defined]
            self._renderer = Renderer(settings)
        return self._renderer

    def head(self) -> Markup:
        """The bundle script, as the build step injects it."""
        return Markup(wrap(self.renderer().bundle))

    def pdp(self, product: Mapping[str, Any] | Any) -> Markup:
        """The placement marker with the product's data, and the component inside it."""
        data = dict(product) if isinstance(product, Mapping) else vars(product)
        view = SimpleNamespace(**{key: data.get(key) for key in ("id", "price", "currency", "name", "url", "image")})
        if not view.id or view.price in (None, ""):
            raise ValueError("croissant_pdp(product) needs at least an id and a price")
        component = wrap(self.renderer().pdp(view))
        if not self.rendered:
            atexit.register(self.print_summary)
        self.rendered += 1
        return Markup(self.renderer().render("slot.html", product=view, component=Markup(component)))
