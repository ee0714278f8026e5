"""The sample store's checkout handler: a small WSGI app (standard library + croissant_embed).

A static store has no server of its own for pages, but it needs one endpoint to take the
order. This is a reference for that endpoint: ``POST /checkout`` with the form of
``/cart/`` (``product_id``, ``quantity``, ``email``, and ``croissant_opt_in``, which the
injected script adds when the shopper chose), validated against the catalogue (prices come
from the catalogue, never from the form), then reported to Croissant as a cart with
``isOptedIn`` taken from the form. ``croissant-embed preview`` mounts it at /checkout; in
production, run it (or your own) behind any WSGI server with a real client.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import parse_qs

import jinja2

from croissant_embed.errors import CroissantError
from croissant_embed.orders import Order, OrderLine

MAX_BODY = 64 * 1024

# The store's look (its stylesheet, header and footer), so that the answer reads as a page of the shop.
PAGES = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, loader=jinja2.DictLoader({
    "layout": """<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{{ title }} · Atelier Nord</title>
  <link rel="stylesheet" href="/css/site.css">
</head>
<body>
  <header class="site-header">
    <div class="wrap"><a class="brand" href="/">Atelier Nord</a><a class="cart-link" href="/cart/">Cart</a></div>
  </header>
  <main class="wrap">
    <div class="panel confirmation">
{% block body %}{% endblock %}
    </div>
  </main>
  <footer class="site-footer"><div class="wrap"><p class="legal">© 2026 Atelier Nord · Tromsø</p></div></footer>
</body>
</html>
""",
    "message": """{% extends "layout" %}{% block body %}
      <h1>{{ heading }}</h1>
{%- if problems %}
      <ul>{% for problem in problems %}<li>{{ problem }}</li>{% endfor %}</ul>
{%- endif %}
{%- if text %}
      <p>{{ text }}</p>
{%- endif %}
      <p><a class="button" href="/cart/">Back to your cart</a></p>
{%- endblock %}""",
    "thanks": """{% extends "layout" %}{% block body %}
      <h1>Thank you!</h1>
      <p>Order <strong id="order-number">{{ number }}</strong>: {{ quantity }} × {{ name }}, {{ choice }}.</p>
      <p class="note">Croissant cart <code id="cart-id">{{ cart_id }}</code></p>
      <p><a class="button" href="/">Continue shopping</a></p>
{%- endblock %}""",
}))


def make_app(
    catalogue: Mapping[str, tuple[int, str, str]],
    create_cart: Callable[[Order], dict[str, Any]],
    *,
    order_prefix: str = "AN",
) -> Callable[..., Iterable[bytes]]:
    """The WSGI app; ``catalogue`` maps product id -> (unit price in minor units, currency, name)."""

    def page(start_response: Callable[..., Any], status: str, template: str, values: Mapping[str, Any], headers: tuple[tuple[str, str], ...] = ()) -> list[bytes]:
        content = PAGES.get_template(template).render(values).encode("utf-8")
        start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(content))), *headers])
        return [content]

    def message(start_response: Callable[..., Any], status: str, heading: str, *, text: str = "", problems: Iterable[str] = (),
                headers: tuple[tuple[str, str], ...] = ()) -> list[bytes]:
        return page(start_response, status, "message", {"title": "Checkout", "heading": heading, "text": text, "problems": list(problems)}, headers)

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return message(start_response, "405 Method Not Allowed", "Checkout", text="Send the checkout form with POST.", headers=(("Allow", "POST"),))
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:  # read(-1) would wait for the client to close the connection
            return message(start_response, "400 Bad Request", "Checkout", text="The form came with an invalid Content-Length.")
        if length > MAX_BODY:
            return message(start_response, "413 Content Too Large", "Checkout", text="The form is too large.")
        form = {k: v[0] for k, v in parse_qs(environ["wsgi.input"].read(length).decode("utf-8", "replace")).items()}
        problems = []
        product = catalogue.get(form.get("product_id", ""))
        if product is None:
            problems.append("choose a product from the catalogue")
        try:
            quantity = int(form.get("quantity", "1"))
            if not 1 <= quantity <= 99:
                raise ValueError
        except ValueError:
            problems.append("the quantity must be a whole number from 1 to 99")
            quantity = 0
        email = form.get("email", "").strip()
        if "@" not in email:
            problems.append("enter an email address")
        if problems:
            return message(start_response, "400 Bad Request", "Please check your order", problems=problems)
        assert product is not None
        price, currency, name = product
        opted_in = form.get("croissant_opt_in") == "true"
        number = f"{order_prefix}-{datetime.now(timezone.utc):%Y%m%d}-{secrets.token_hex(3).upper()}"
        order = Order(
            number=number,
            lines=(OrderLine(form["product_id"], quantity, price, currency),),
            opted_in=opted_in,
            created_at=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            email=email,
        )
        try:
            cart = create_cart(order)
        except CroissantError as exc:
            return message(start_response, "502 Bad Gateway", "We could not record your order", text=str(exc))
        choice = "with Croissant's guaranteed buyback" if opted_in else "without guaranteed buyback"
        return page(start_response, "200 OK", "thanks",
                    {"title": "Thank you", "number": number, "quantity": quantity, "name": name, "choice": choice, "cart_id": str(cart.get("id"))})

    return app
