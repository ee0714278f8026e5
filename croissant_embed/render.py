"""Render stage: the snippets injected into pages, from Jinja2 templates only.

Templates come from the user's ``templates_dir`` first, then the built-in ``templates/``.
Autoescaping is on and undefined names are errors, so product data can never reach a page
unescaped and a typo in a template fails the build instead of rendering blank.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

import jinja2

from .errors import ConfigError
from .extract import Product
from .settings import Market, Settings, builtin_templates_dir

CDN_BUNDLE = "https://cdn.croissant.com/croissant-toggle-web-components/dist.js"
LOCAL_BUNDLE_PATH = "/components/dist.js"
TEMPLATES = ("bundle.html", "pdp.html", "checkout.html")


def bundle_url(settings: Settings) -> str:
    """The component bundle: Croissant's CDN, or the local stand-in the sandbox serves."""
    if settings.environment == "local":
        root = settings.local_url.rstrip("/")
        root = root[: -len("/v0")] if root.endswith("/v0") else root
        return root + LOCAL_BUNDLE_PATH
    return CDN_BUNDLE


class Renderer:
    """Renders every snippet for one build's settings."""

    def __init__(self, settings: Settings) -> None:
        self.environment, self.merchant_id = settings.environment, settings.merchant_id
        folders = [str(settings.templates_dir)] if settings.templates_dir else []
        folders.append(str(builtin_templates_dir()))
        self._env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(folders),
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=False,
            auto_reload=False,  # a build renders thousands of snippets: no stat of the template before each
        )
        self._context: dict[str, Any] = {
            "merchant_id": settings.merchant_id,
            "pricing_url": settings.pricing_url,
            "bundle_url": bundle_url(settings),
            "quantity_selector": settings.quantity_selector,
            "variant_selector": settings.variant_selector,
            "checkout_selector": settings.checkout_selector,
            "environment": settings.environment,
            "markets": [(market.name, market.path, market.merchant_id, market.id_template) for market in settings.markets],
        }
        self.bundle = self._render("bundle.html")

    def fingerprint(self) -> str:
        """What the rendered snippets depend on: the context and the templates' sources."""
        sources = []
        for name in TEMPLATES:
            try:
                sources.append(self._env.loader.get_source(self._env, name)[0])
            except jinja2.TemplateNotFound:
                sources.append("")
        return repr((sorted(self._context.items()), sources))

    def render(self, name: str, **context: Any) -> str:
        """Any template of the folders, with the build's context plus ``context``."""
        return self._render(name, **context)

    def _render(self, name: str, **context: Any) -> str:
        try:
            return self._env.get_template(name).render({**self._context, **context}).strip()
        except jinja2.TemplateError as exc:
            where = getattr(exc, "filename", None) or name
            raise ConfigError([f"template {where}: {exc}"]) from exc

    def checkout(self) -> str:
        """The script that carries the opt-in into the checkout form."""
        return self._render("checkout.html")

    def pdp(self, product: Product | Any, variants: Sequence[Product] = (), *, market: Market | None = None) -> str:
        """The ``<croissant-toggle-pdp>`` for one product (anything with an ``id``), with the script that keeps it
        in step with the page: the quantity, and which of ``variants`` the shopper chose. A market's page shows
        its own merchant and its products' ids in that market."""
        def own(product_id: str) -> str:
            return market.product_id(product_id) if market is not None else product_id

        shown = [{"id": own(variant.id), "attributes": dict(variant.attributes)} for variant in variants]
        context: dict[str, Any] = {"product": replace(product, id=own(product.id)) if market is not None else product, "variants": shown}
        if market is not None and market.merchant_id:
            context["merchant_id"] = market.merchant_id
        return self._render("pdp.html", **context)
