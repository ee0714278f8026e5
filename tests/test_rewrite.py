"""The rewrite stage: hashed insertions go in and come out again, byte for byte."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from croissant_embed.rewrite import CLOSE, MARKER_PREFIX, Stripped, newline_of, splice, strip, strip_insertions, wrap

LEGACY_GOLDEN = Path(__file__).parent / "golden" / "legacy-0.1" / "cafe-cable-beanie.html"

PAGE = (
    "<!DOCTYPE html>\n<html>\n<head>\n<title>Linen shirt</title>\n</head>\n<body>\n"
    "<p class=\"price\">$89.00</p>\n</body>\n</html>\n"
)
COMPONENT = '<croissant-toggle-pdp merchant-id="m" product-id="P1" quantity="1"></croissant-toggle-pdp>'
SCRIPT = "<script>\n(function () {\n  /* croissant-embed: quantity */\n})();\n</script>"
BUNDLE = '<script src="https://cdn.example/dist.js" defer></script>'


def runs(text: str) -> list[str]:
    """The contents of the hashed runs in ``text``, in order."""
    return re.findall(r"<!--croissant-embed [0-9a-f]{16}-->(.*?)<!--/croissant-embed [0-9a-f]{16}-->", text, re.S)


# -- wrap, splice, strip ---------------------------------------------------------------------


def test_wrap_puts_the_snippet_between_markers_carrying_the_same_hash():
    wrapped = wrap(COMPONENT)
    match = re.fullmatch(r"<!--croissant-embed ([0-9a-f]{16})-->(.*)<!--/croissant-embed ([0-9a-f]{16})-->", wrapped, re.S)
    assert match is not None
    assert match.group(1) == match.group(3)
    assert match.group(2) == COMPONENT
    assert wrap(COMPONENT) == wrapped  # deterministic
    assert wrap(COMPONENT + " ").split("-->")[0] != wrapped.split("-->")[0]  # the hash depends on the snippet


def test_a_wrapped_snippet_alone_strips_to_nothing():
    assert strip(wrap(COMPONENT)) == Stripped("", 0)


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_splice_then_strip_gives_the_original_page_exactly(newline):
    page = PAGE.replace("\n", newline)
    head, price = page.index("</head>"), page.index("</p>") + len("</p>")
    spliced = splice(page, [(head, BUNDLE), (price, COMPONENT + "\n" + SCRIPT)])
    assert spliced != page
    assert runs(spliced) == [BUNDLE, (COMPONENT + "\n" + SCRIPT).replace("\n", newline)]
    assert strip(spliced) == Stripped(page, 0)
    assert strip_insertions(spliced) == page


def test_a_crlf_page_gets_crlf_line_endings_inside_its_insertions():
    page = PAGE.replace("\n", "\r\n")
    spliced = splice(page, [(page.index("</body>"), SCRIPT)])
    assert "\n" not in spliced.replace("\r\n", "")


def test_an_lf_page_keeps_the_snippet_line_endings_as_rendered():
    spliced = splice(PAGE, [(PAGE.index("</body>"), SCRIPT)])
    assert "\r" not in spliced
    assert runs(spliced) == [SCRIPT]


def test_newline_of_reports_crlf_only_when_the_page_uses_it():
    assert newline_of("a\nb\n") == "\n"
    assert newline_of("a\r\nb\r\n") == "\r\n"
    assert newline_of("one line") == "\n"


def test_insertions_at_one_offset_keep_the_order_they_were_given_in():
    at = PAGE.index("</p>") + len("</p>")
    spliced = splice(PAGE, [(at, "<i>first</i>"), (PAGE.index("</head>"), BUNDLE), (at, "<i>second</i>"), (at, "<i>third</i>")])
    assert runs(spliced) == [BUNDLE, "<i>first</i>", "<i>second</i>", "<i>third</i>"]
    assert strip_insertions(spliced) == PAGE


def test_insertions_at_the_start_and_at_the_end_of_the_page():
    spliced = splice(PAGE, [(len(PAGE), "<i>end</i>"), (0, "<i>start</i>")])
    assert spliced.startswith(MARKER_PREFIX)
    assert spliced.endswith("-->") and spliced.rsplit(CLOSE, 1)[0].endswith("<i>end</i>")
    assert runs(spliced) == ["<i>start</i>", "<i>end</i>"]
    assert strip_insertions(spliced) == PAGE


def test_splicing_nothing_returns_the_page_unchanged():
    assert splice(PAGE, []) is PAGE


@pytest.mark.parametrize("offset", [-1, len(PAGE) + 1, 10**9])
def test_an_offset_outside_the_page_raises_value_error(offset):
    with pytest.raises(ValueError, match=f"offset {offset}"):
        splice(PAGE, [(0, BUNDLE), (offset, COMPONENT)])


def test_a_page_without_markers_is_returned_as_it_is():
    assert strip(PAGE) == Stripped(PAGE, 0)
    assert strip(PAGE).text is PAGE


# -- what is left alone ---------------------------------------------------------------------


def test_a_run_whose_content_was_edited_is_left_alone_and_counted():
    at = PAGE.index("</p>") + len("</p>")
    spliced = splice(PAGE, [(PAGE.index("</head>"), BUNDLE), (at, COMPONENT)])
    edited = spliced.replace('merchant-id="m"', 'merchant-id="someone-else"')
    result = strip(edited)
    assert result.foreign_markers == 1
    # the untouched run is removed; the edited one stays exactly as it was
    assert BUNDLE not in result.text
    assert result.text == edited.replace(wrap(BUNDLE), "")
    assert 'merchant-id="someone-else"' in result.text


def test_a_run_without_its_closing_marker_is_left_alone():
    wrapped = wrap(COMPONENT)
    truncated = PAGE.replace("</body>", wrapped[: wrapped.index(CLOSE)] + "</body>")
    assert strip(truncated) == Stripped(truncated, 1)


@pytest.mark.parametrize(
    "stray",
    [
        '<script>var marker = "<!--croissant-embed";</script>\n',
        "<script>document.write('<!--croissant-embed 0123456789abcdef-->');</script>\n",
        "<!-- theme note: <!--croissant-embed-->\n",
        "<!-- <!--croissant-embed 0123456789abcdef--><b>x</b><!--/croissant-embed 0123456789abcdef--> -->\n",
    ],
    ids=["script-string", "script-hashed-opening", "comment-legacy", "comment-run-with-a-wrong-hash"],
)
def test_a_stray_opening_marker_is_left_alone_while_real_runs_are_removed(stray):
    page = PAGE.replace("<body>\n", "<body>\n" + stray)
    spliced = splice(page, [(page.index("</head>"), BUNDLE), (page.index("</body>"), COMPONENT)])
    assert strip(spliced) == Stripped(page, 1)


# -- version 0.1 markers ----------------------------------------------------------------------

LEGACY_PDP = '<croissant-toggle-pdp merchant-id="m" pricing-url="https://p.example/prices" product-id="P1" quantity="1"></croissant-toggle-pdp>'
LEGACY_QUANTITY = (
    "\n<script>\n(function () {\n  /* croissant-embed: keep the component's quantity in step. */\n"
    "  var selector = \"input[name=quantity]\";\n})();\n</script>"
)
LEGACY_CHECKOUT = (
    "<script>\n(function () {\n  /* croissant-embed: copy localStorage[\"croissant_opt_in\"] into a hidden field. */\n"
    "  document.addEventListener(\"submit\", function (event) {}, true);\n})();\n</script>"
)


def legacy(snippet: str) -> str:
    """A snippet between version 0.1's unhashed markers."""
    return f"<!--croissant-embed-->{snippet}<!--/croissant-embed-->"


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
@pytest.mark.parametrize(
    "snippet",
    ['<script src="http://127.0.0.1:8765/components/dist.js" defer></script>', LEGACY_PDP, LEGACY_PDP + LEGACY_QUANTITY, LEGACY_CHECKOUT],
    ids=["bundle", "component", "component-with-quantity-script", "checkout-script"],
)
def test_each_legacy_snippet_shape_between_legacy_markers_is_stripped(snippet, newline):
    page = PAGE.replace("\n", newline)
    at = page.index("</body>")
    processed = page[:at] + legacy(snippet.replace("\n", newline)) + page[at:]
    assert strip(processed) == Stripped(page, 0)


@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["lf", "crlf"])
def test_a_page_written_by_version_0_1_strips_to_the_generators_page(newline):
    golden = LEGACY_GOLDEN.read_text(encoding="utf-8").replace("\n", newline)
    assert golden.count("<!--croissant-embed-->") == 2
    expected = re.sub(r"<!--croissant-embed-->.*?<!--/croissant-embed-->", "", golden, flags=re.S)
    result = strip(golden)
    assert result == Stripped(expected, 0)
    assert "croissant-toggle-pdp" not in result.text
    assert '<span class="price">$39.00</span>' + newline + "        </div>" in result.text


@pytest.mark.parametrize(
    "content",
    [
        "<p>Our own note</p>",
        "<script>alert(1)</script>",
        '<script src="https://cdn.example/dist.js" defer onload="steal()"></script>',
        LEGACY_PDP + "<script>steal()</script>",
        "<script>\n(function () {\n  steal();\n})();\n</script>",
        "",
    ],
    ids=["paragraph", "plain-script", "bundle-with-extra-attribute", "component-then-foreign-script", "script-without-our-comment", "empty"],
)
def test_legacy_markers_around_anything_else_are_left_alone(content):
    page = PAGE.replace("</body>", legacy(content) + "</body>")
    assert strip(page) == Stripped(page, 1)


# -- encodings ------------------------------------------------------------------------------


def test_non_ascii_snippets_survive_a_latin_1_page_that_stores_them_as_references():
    page = "<!DOCTYPE html>\n<html><head><meta charset=\"iso-8859-1\"></head>\n<body><p>Café crème 12,50</p></body></html>\n"
    snippet = '<croissant-toggle-pdp product-id="Café-☕-東京" title="Ærø — 5 €"></croissant-toggle-pdp>'
    spliced = splice(page, [(page.index("</p>") + 4, snippet)])
    stored = spliced.encode("latin-1", errors="xmlcharrefreplace")
    assert b"&#9749;" in stored and b"&#8364;" in stored  # what the latin-1 file holds for ☕ and €
    reread = stored.decode("latin-1")
    assert reread != spliced
    assert strip(reread) == Stripped(page, 0)
    assert strip(spliced) == Stripped(page, 0)


# -- properties -----------------------------------------------------------------------------

_FRAGMENTS = st.sampled_from(
    ["<", ">", "-->", "<!--", "\n", "\r\n", "\r", " ", "é", "☕", "<p>", "</p>", MARKER_PREFIX, CLOSE,
     "<!--croissant-embed-->", "<!--/croissant-embed-->", f"{MARKER_PREFIX} 0123456789abcdef-->", f"{CLOSE} 0123456789abcdef-->"]
)
_PAGES = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=6)), max_size=25).map("".join)
_SNIPPETS = st.lists(st.one_of(_FRAGMENTS, st.text(max_size=8)), max_size=8).map("".join)


@st.composite
def page_and_insertions(draw):
    """A page none of whose text is a verified run, and insertions at offsets inside it."""
    text = draw(_PAGES.filter(lambda t: strip(t).text == t))
    insertions = draw(st.lists(st.tuples(st.integers(0, len(text)), _SNIPPETS), max_size=5))
    return text, insertions


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(page_and_insertions())
def test_strip_undoes_splice_for_any_page_and_insertions(case):
    text, insertions = case
    spliced = splice(text, insertions)
    result = strip(spliced)
    assert result.text == text
    # an insertion may split a stray marker of the page, never add one
    assert result.foreign_markers <= strip(text).foreign_markers
    assert splice(result.text, insertions) == spliced  # a second run changes nothing
    assert strip(result.text).text == result.text
