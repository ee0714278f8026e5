"""The last resort: a product page told by its visible markup alone (title, price, add-to-cart button).

Some themes carry no structured data at all. Their product pages still show what makes a
product page to a shopper: one ``<h1>`` naming the product, a current price beside it, and
one add-to-cart button (a form posting to the cart, or a script-driven button). The rules
are strict, since a false product page costs more than a missed one (a missed one is fixed
with ``[capture]``): exactly one ``<h1>``; exactly one add-to-cart control outside repeated
cards (a listing shows several, one per card; related products' own buttons do not count);
a cart page's own form (posting to the page itself) is no add-to-cart control; and a
visible price with its currency, in the block holding the title and the button.
Only pages where every other source found nothing are read here, so it costs nothing on
pages that carry data; the whole page is outlined only once the cheap checks pass.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from operator import attrgetter

from .candidates import Candidate, SourceResult
from .normalise import PageAddress
from .outline import Outline
from .scan import Html, Tag, visible_text
from .visible import PagePrices

# What an add-to-cart control says, in the languages themes ship with (matched case-insensitively
# in the control's short label; update/checkout buttons of a cart page say none of these).
ADD_TO_CART_WORDING = (
    r"add to (?:shopping )?(?:cart|bag|basket|trolley)|add to my (?:cart|bag|basket)|buy (?:it )?now|^buy$"
    r"|in den (?:warenkorb|einkaufswagen|korb)|zum warenkorb hinzuf[uü]gen|jetzt kaufen"
    r"|ajouter au (?:panier|sac)|acheter(?: maintenant)?$"
    r"|a[ñn]adir al (?:carrito|carro|cesta)|a[ñn]adir a la cesta|agregar al carrito|comprar(?: ahora)?$"
    r"|aggiungi al carrello|acquista ora|adicionar ao (?:carrinho|cesto)|comprar agora"
    r"|in (?:de )?winkelwagen|toevoegen aan (?:de )?winkelwagen|in winkelmand"
    r"|l[äa]gg i (?:varukorgen|kundvagnen)|legg i (?:handlekurven|handlekurv)|l[æa]g i (?:kurven|kurv)"
    r"|lis[äa][äa] ostoskoriin|dodaj do koszyka|p[řr]idat do ko[šs]íku|sepete ekle|kos[áa]rba"
    r"|в корзину|カートに入れる|加入购物车|加入購物車|장바구니 담기|thêm vào giỏ|masukkan keranjang"
)
_ADD_TO_CART = re.compile(ADD_TO_CART_WORDING, re.I)
_LABEL_ROOM = 60  # a button's label is short; a longer text is a sentence mentioning one
_MOST_CONTROLS = 24  # more add-to-cart buttons than this: a listing, read no further
_BUTTON_ROOM = 4000  # a button's markup, icons included; a longer one is no plain button
_NAME_ROOM = (2, 150)  # a product name's length, in characters
_HEADINGS = frozenset(("h2", "h3", "h4", "h5", "h6"))
_PAGE_LEVEL = frozenset(("html", "body"))
_DEEPEST = 200  # ancestors looked at: real themes nest far less deep
_LINK_DEPTH = 4  # a card title's link sits right in its heading (or a span or two down)
_start_of = attrgetter("start")
WARNING = (
    "no product data on the page: read from its visible markup (title, price, add-to-cart button); "
    "add structured data or [capture] to be sure"
)


def from_visible_markup(page: Html, rel_path: str) -> SourceResult:
    """The page's product as its markup shows it (name and price, source ``visible``), or none."""
    result = SourceResult("visible")
    h1s = list(itertools.islice(page.tags_with("<h1", lambda tag: tag.name == "h1"), 2))
    buttons = _labelled_controls(page) if len(h1s) == 1 else []
    if not buttons or len(buttons) > _MOST_CONTROLS:
        return result  # the cheap checks, on the tags alone: most pages stop here
    name = visible_text(page.inner(h1s[0]))
    if not _NAME_ROOM[0] <= len(name) <= _NAME_ROOM[1]:
        return result
    outline = Outline(page)
    title = outline.find(h1s[0].start)
    control = _the_control(outline, buttons, title, PageAddress(rel_path)) if title >= 0 else None
    if control is None:
        return result
    shown = PagePrices(page, name=name).current()
    if shown is None or not shown.amount or shown.symbol is None:
        return result  # no price, or a bare number whose currency nothing shows
    price = outline.find(shown.start)
    around_price = list(outline.ancestors(price, _DEEPEST))
    if price < 0 or any(outline.nodes[i].name == "a" and _links_elsewhere(outline, i) for i in around_price):
        return result  # a price in a link belongs to another product's card
    block = outline.common(title, control)
    if block >= 0 and outline.nodes[block].name not in _PAGE_LEVEL and block not in around_price:
        return result  # the price is away from the title and the button
    result.candidates.append(Candidate("visible", {"name": name, "price": shown.amount}))
    result.warnings.append(WARNING)
    return result


def _labelled_controls(page: Html) -> list[Tag]:
    """Buttons and submit inputs labelled add-to-cart (at most one more than a product page could hold)."""
    found: list[Tag] = []
    for tag in itertools.chain(page.tags_with("<button", lambda tag: tag.name == "button"), page.tags_with("<input", _is_submit)):
        if tag.name == "input":
            label = tag.get("value") or ""
        else:
            inner = page.inner(tag)
            label = visible_text(inner) if len(inner) <= _BUTTON_ROOM else ""
            label = label or tag.get("aria-label") or ""
        label = " ".join(label.split())
        if label and len(label) <= _LABEL_ROOM and _ADD_TO_CART.search(label) is not None:
            found.append(tag)
            if len(found) > _MOST_CONTROLS:
                break
    return found


def _is_submit(tag: Tag) -> bool:
    return tag.name == "input" and (tag.get("type") or "").strip().lower() in ("submit", "button")


def _the_control(outline: Outline, buttons: list[Tag], title: int, address: PageAddress) -> int | None:
    """The page's one add-to-cart control outside repeated cards (None: none, or several).

    Buttons of one form count once: "Add to cart" and "Buy it now" side by side are one control.
    """
    nodes = outline.nodes
    controls: dict[int, None] = {}
    for tag in buttons:
        index = outline.find(tag.start) if tag.name == "button" else _holder_of(outline, tag.start)  # inputs are void
        if index < 0:
            continue
        form = next((i for i in outline.ancestors(index, _DEEPEST) if nodes[i].name == "form"), None)
        if form is None or _posts_elsewhere(outline.tag(form), address):
            controls[index if form is None else form] = None
    if not controls or len(controls) > _MOST_CONTROLS:
        return None
    found = list(controls)
    in_cards = _in_cards(outline, found, title)
    alone = [index for index in found if index not in in_cards]
    return alone[0] if len(alone) == 1 else None


def _holder_of(outline: Outline, offset: int) -> int:
    """The innermost element of the outline holding ``offset`` (-1: none)."""
    nodes = outline.nodes
    index = bisect_right(nodes, offset, key=_start_of) - 1
    while index >= 0 and nodes[index].end is not None and nodes[index].end <= offset:
        index = nodes[index].parent
    return index


def _posts_elsewhere(form: Tag, address: PageAddress) -> bool:
    """Whether a form sends its data away (to a cart), not to the very page it is on (a cart page's own update form)."""
    action = form.get("action")
    if action is None:
        return True  # a script-driven form
    action = action.strip()
    return not (not action or action.startswith("#") or address.relation(action)[0] == "same")


def _in_cards(outline: Outline, controls: list[int], title: int) -> set[int]:
    """The controls that sit in product cards: one of several alike, or beside a heading linking elsewhere."""
    nodes, found = outline.nodes, set()
    around_title = set(outline.ancestors(title, _DEEPEST))
    chains = {control: list(outline.ancestors(control, _DEEPEST)) for control in controls}
    for first, second in itertools.combinations(controls, 2):
        # the two elements just below the innermost one holding both controls: two copies of one card?
        shared = set(chains[second])
        at = next((n for n, index in enumerate(chains[first]) if index in shared), None)
        if at is None or at == 0 or chains[first][at] == second:
            continue
        top = chains[second][chains[second].index(chains[first][at]) - 1]
        if _alike(outline, chains[first][at - 1], top):
            found.update((first, second))
    # card titles: a heading whose text links to another page
    linked = sorted({heading for index, node in enumerate(nodes) if node.name == "a" and _links_elsewhere(outline, index)
                     for heading in itertools.islice(outline.ancestors(index, _LINK_DEPTH), 1, None) if nodes[heading].name in _HEADINGS})
    starts = [nodes[heading].start for heading in linked]
    for control in controls:
        # an element holding the button and a linked heading, but not the page's title: a card
        for index in chains[control]:
            node = nodes[index]
            if index in around_title:
                break
            if node.end is not None and bisect_right(starts, node.end) > bisect_right(starts, node.start):
                found.add(control)
                break
    return found


def _alike(outline: Outline, first: int, second: int) -> bool:
    """Whether two elements look like two copies of one card (same name and classes)."""
    return outline.nodes[first].name == outline.nodes[second].name and (
        (outline.tag(first).get("class") or "").split() == (outline.tag(second).get("class") or "").split()
    )


def _links_elsewhere(outline: Outline, index: int) -> bool:
    """Whether a link leads to another page (not a spot on this one, not a script)."""
    href = (outline.tag(index).get("href") or "").strip()
    return bool(href) and not href.lower().startswith(("#", "javascript:"))
