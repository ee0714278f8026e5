"""The permalink of the article that holds a page's product data.

Blog generators (Pelican's default theme, WordPress themes, MkDocs Material's blog) repeat an
article's body on index, category, tag and author pages, inside an ``<article>`` that links to
the article's own page. When the product data names no URL, that link says where the
product's own page is: the page itself on the article's page, another page on a listing.
"""

from __future__ import annotations

from .markup import ATTRIBUTE_PREFIX
from .scan import Html, Tag

_HEADINGS = frozenset(("h1", "h2", "h3", "h4", "h5", "h6"))


def article_permalink(page: Html) -> str | None:
    """The own address of the ``<article>`` around the product data: its rel=bookmark link, else its title's link."""
    data = next(page.tags_with(ATTRIBUTE_PREFIX), None) or next(
        page.tags_with("itemtype", lambda tag: "schema.org/product" in tag.get("itemtype", "").lower()), None)
    if data is None:
        return None
    around = [tag for tag in page.tags_with("<article", lambda tag: tag.name == "article")
              if tag.start < data.start < page.element_end(tag)]
    if not around:
        return None
    article = max(around, key=lambda tag: tag.start)  # the innermost
    end = page.element_end(article)
    # HTML's rel=bookmark is "the permalink of the nearest ancestor article"
    bookmark = next((a for a in _links(page, article.end, end) if "bookmark" in a.get("rel", "").lower().split()), None)
    if bookmark is not None:
        return bookmark.attrs["href"]
    heading = next((tag for tag in page.tags_with("<h", lambda tag: tag.name in _HEADINGS)
                    if article.end <= tag.start < end), None)
    if heading is None:
        return None
    title = next(iter(_links(page, heading.end, page.element_end(heading))), None)
    return title.attrs["href"] if title is not None else None


def _links(page: Html, start: int, end: int) -> list[Tag]:
    """The ``<a href>`` start tags between two offsets."""
    return [tag for tag in page.tags_with("href", lambda tag: tag.name == "a" and "href" in tag.attrs) if start <= tag.start < end]
