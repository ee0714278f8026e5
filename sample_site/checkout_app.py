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

import html
import secrets
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping
from urllib.parse import parse_qs

from croissant_embed.errors import CroissantError
from croissant_embed.orders import Order, OrderLine

MAX_BODY = 64 * 1024


def make_app(
    catalogue: Mapping[str, tuple[int, str, str]],
    create_cart: Callable[[Order], dict[str, Any]],
    *,
    order_prefix: str = "AN",
) -> Callable[..., Iterable[bytes]]:
    """The WSGI app; ``catalogue`` maps product id -> (unit price in minor units, currency, name)."""

    def page(start_response: Callable[..., Any], status: str, title: str, body: str, headers: tuple[tuple[str, str], ...] = ()) -> list[bytes]:
        content = (
            "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            f"<title>{html.escape(title)} · Atelier Nord</title></head><body><main>{body}</main></body></html>"
        ).encode("utf-8")
        start_response(status, [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(content))), *headers])
        return [content]

    def app(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST":
            return page(start_response, "405 Method Not Allowed", "Checkout", "<p>Send the checkout form with POST.</p>", (("Allow", "POST"),))
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = -1
        if length < 0:  # read(-1) would wait for the client to close the connection
            return page(start_response, "400 Bad Request", "Checkout", "<p>The form came with an invalid Content-Length.</p>")
        if length > MAX_BODY:
            return page(start_response, "413 Content Too Large", "Checkout", "<p>The form is too large.</p>")
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
            items = "".join(f"<li>{html.escape(p)}</li>" for p in problems)
            return page(start_response, "400 Bad Request", "Checkout", f"<h1>Please check your order</h1><ul>{items}</ul>")
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
            return page(start_response, "502 Bad Gateway", "Checkout", f"<h1>We could not record your order</h1><p>{html.escape(str(exc))}</p>")
        choice = "with Croissant's guaranteed buyback" if opted_in else "without guaranteed buyback"
        body = (
            f"<h1>Thank you!</h1><p>Order <strong id=\"order-number\">{html.escape(number)}</strong>: "
            f"{quantity} × {html.escape(name)}, {choice}.</p>"
            f"<p>Croissant cart <code id=\"cart-id\">{html.escape(str(cart.get('id')))}</code></p>"
        )
        return page(start_response, "200 OK", "Thank you", body)

    return app
