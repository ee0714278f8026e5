"""Sài Gòn Roastery: a Vietnamese Hugo theme with Snipcart buttons, data-item-url a bare slug."""

from __future__ import annotations

from .common import Store, esc

SITE = "https://saigon-roastery.example"

# slug, item id, name, price (dong), struck price, spaced ('87,500 đ') or not ('45,000đ'), blurb
PRODUCTS = [
    ("ca-phe-robusta-500g", "rb-500", "Cà phê Robusta Buôn Ma Thuột 500g", 87500, None, True, "Rang mộc, vị đậm, hậu ngọt."),
    ("ca-phe-arabica-cau-dat", "ar-cd-250", "Cà phê Arabica Cầu Đất 250g", 145000, None, True, "Chế biến ướt, hương trái cây và mật ong."),
    ("phin-nhom", "phin-al", "Phin nhôm pha cà phê", 45000, None, False, "Phin nhôm anod, cỡ 1 ly."),
    ("tra-sen-tay-ho", "tra-sen", "Trà sen Tây Hồ (hộp 100g)", 99000, 120000, True, "Trà Thái Nguyên ướp sen Bách Diệp."),
    ("hop-qua-tet", "qua-tet", "Hộp quà Tết Phú Quý", 1250000, None, True, "Hai loại cà phê, trà sen và phin đồng."),
]


def dong(amount: int, spaced: bool = True) -> str:
    return f"{amount:,} đ" if spaced else f"{amount:,}đ"


def head(title: str, path: str) -> str:
    return f"""<!DOCTYPE html>
<html lang="vi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc(title)} - Sài Gòn Roastery</title>
<meta property="og:title" content="{esc(title)}">
<meta property="og:url" content="{SITE}{path}">
<meta property="og:image" content="{SITE}/images/og.jpg">
<link rel="stylesheet" href="/css/main.css">
<link rel="stylesheet" href="https://cdn.snipcart.com/themes/v3.4.1/default/snipcart.css">
</head>
<body>
<header class="header">
  <div class="container header__inner">
    <a class="header__logo" href="/">Sài Gòn Roastery</a>
    <nav class="header__nav">
      <a href="/san-pham/">Sản phẩm</a>
      <a href="/gioi-thieu/">Giới thiệu</a>
      <a href="/lien-he/">Liên hệ</a>
      <a class="snipcart-checkout" href="/gio-hang/">Giỏ hàng (<span class="snipcart-items-count">0</span>)</a>
    </nav>
  </div>
</header>
"""


FOOT = """<footer class="footer">
  <div class="container">
    <p>Sài Gòn Roastery · 23 Lê Thánh Tôn, Quận 1, TP. Hồ Chí Minh · Miễn phí giao hàng cho đơn từ 300,000 đ</p>
  </div>
</footer>
<div hidden id="snipcart" data-api-key="ZXhhbXBsZS1wdWJsaWMta2V5" data-config-modal-style="side"></div>
<script async src="https://cdn.snipcart.com/themes/v3.4.1/default/snipcart.js"></script>
</body>
</html>
"""


def button(p: tuple, label: str = "Thêm vào giỏ") -> str:
    slug, item, name, price, _was, _spaced, blurb = p
    # the theme passes the slug, not the page URL, to data-item-url
    return (f'<button class="btn btn--primary snipcart-add-item" data-item-id="{item}" data-item-price="{price}" '
            f'data-item-url="{slug}" data-item-name="{esc(name)}" data-item-image="/images/{slug}.jpg" '
            f'data-item-description="{esc(blurb)}">{label}</button>')


def tile(p: tuple) -> str:
    slug, _item, name, price, _was, spaced, _blurb = p
    return f"""    <div class="card">
      <a href="/san-pham/{slug}/"><img src="/images/{slug}-sm.jpg" alt="{esc(name)}"></a>
      <h2 class="card__title"><a href="/san-pham/{slug}/">{esc(name)}</a></h2>
      <p class="card__price">{dong(price, spaced)}</p>
      {button(p)}
    </div>
"""


def product_page(p: tuple) -> str:
    slug, item, name, price, was, spaced, blurb = p
    old = f'<del class="gia-cu">{dong(was, spaced)}</del> ' if was else ""
    related = "".join(
        f'      <li><a href="/san-pham/{q[0]}/">{esc(q[2])}</a> <span class="gia-nho">{dong(q[3], q[5])}</span></li>\n'
        for q in [q for q in PRODUCTS if q[0] != slug][:3])
    return head(name, f"/san-pham/{slug}/") + f"""<main class="container">
  <ul class="breadcrumbs"><li><a href="/">Trang chủ</a></li><li><a href="/san-pham/">Sản phẩm</a></li><li>{esc(name)}</li></ul>
  <div class="product">
    <div class="product__image"><img src="/images/{slug}.jpg" alt="{esc(name)}" width="600" height="600"></div>
    <div class="product__info">
      <h1 class="product__title">{esc(name)}</h1>
      <div class="product__price">{old}<span class="gia">{dong(price, spaced)}</span></div>
      <p class="product__desc">{esc(blurb)}</p>
      <div class="product__buy">
        <label>Số lượng <input type="number" class="qty" name="quantity" value="1" min="1"></label>
        {button(p)}
      </div>
    </div>
  </div>
  <section class="related">
    <h2>Có thể bạn thích</h2>
    <ul>
{related}    </ul>
  </section>
</main>
""" + FOOT


def page(title: str, path: str, body: str) -> str:
    return head(title, path) + f'<main class="container">\n{body}</main>\n' + FOOT


def build() -> Store:
    store = Store(
        "saigon-roastery-vietnam",
        "Hugo theme in Vietnamese with Snipcart only: prices in dong ('87,500 đ', '45,000đ'), "
        "data-item-price an integer, data-item-url a bare slug, og:url but no canonical link, a "
        "<del> old price before the current one, listing cards each with a buy button.",
        ["snipcart-only", "vietnamese-format", "currency-symbol-only", "zero-decimal-currency",
         "data-item-url-slug", "og-url-without-base-url", "sale-del", "related-products"],
        config='base_url = "https://saigon-roastery.example/"\ndefault_currency = "VND"\n',
    )
    for p in PRODUCTS:
        store.product(f"san-pham/{p[0]}/index.html", product_page(p), id=p[1], price=p[3], currency="VND", selector=".product__price .gia")
    store.page("index.html", page("Cà phê rang mỗi sáng", "/", f"""  <section class="hero"><h1>Cà phê rang mỗi sáng</h1><p>Từ nông trại Tây Nguyên đến ly của bạn.</p></section>
  <div class="grid">
{"".join(tile(p) for p in PRODUCTS[:3])}  </div>
"""))
    store.page("san-pham/index.html", page("Sản phẩm", "/san-pham/", f"""  <h1>Tất cả sản phẩm</h1>
  <div class="grid">
{"".join(tile(p) for p in PRODUCTS)}  </div>
"""))
    store.page("gio-hang/index.html", page("Giỏ hàng", "/gio-hang/", """  <h1>Giỏ hàng</h1>
  <p>Giỏ hàng của bạn mở trong bảng bên phải. <button class="btn snipcart-checkout">Xem giỏ hàng</button></p>
"""))
    store.page("gioi-thieu/index.html", page("Giới thiệu", "/gioi-thieu/", """  <h1>Về chúng tôi</h1>
  <p>Chúng tôi rang cà phê mỗi sáng tại Quận 1 từ năm 2015.</p>
  <img src="/images/xuong-rang.jpg" alt="Xưởng rang" width="600" height="400">
"""))
    store.page("lien-he/index.html", page("Liên hệ", "/lien-he/", """  <h1>Liên hệ</h1>
  <p>Email: xinchao@saigon-roastery.example · Điện thoại: 028 0000 0000</p>
"""))
    return store
