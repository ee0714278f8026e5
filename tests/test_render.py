"""The render stage: snippets come from Jinja2 templates, escaped, overridable, strict."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from croissant_embed.errors import ConfigError
from croissant_embed.extract import ExtractOptions, analyse_page
from croissant_embed.render import Renderer
from croissant_embed.settings import load_settings

HOSTILE_ID = '"><script>alert("id")</script>'
HOSTILE_MERCHANT = 'm"><img src=x onerror=alert(1)>'


def settings_for(tmp_path: Path, *, env: dict[str, str] | None = None, **overrides):
    """Settings loaded the real way, from a folder without a config file plus flags."""
    return load_settings(cwd=tmp_path, env=env or {}, overrides=overrides)


def product_with_id(product_id: str, name: str = "Linen shirt"):
    """A real extracted product whose id (sku) and name are as given."""
    ld = json.dumps({"@type": "Product", "sku": product_id, "name": name, "url": "https://shop.example/p/",
                     "offers": {"price": "89.00", "priceCurrency": "USD"}}).replace("</", "<\\/")
    page = (f'<!DOCTYPE html><html><head><title>x</title><script type="application/ld+json">{ld}</script></head>'
            '<body><p class="price">$89.00</p></body></html>')
    analysis = analyse_page(page, "p/index.html", ExtractOptions())
    assert analysis.product is not None and analysis.product.id == product_id
    return analysis.product


def test_the_component_carries_the_settings_merchant_id_pricing_url_and_product_id(tmp_path):
    settings = settings_for(tmp_path, merchant_id="atelier-nord", local_url="http://127.0.0.1:9999/v0")
    component = Renderer(settings).pdp(product_with_id("AN-KNT-003"))
    assert component == (
        '<croissant-toggle-pdp merchant-id="atelier-nord" pricing-url="http://127.0.0.1:9999/v0/prices" '
        'product-id="AN-KNT-003" quantity="1"></croissant-toggle-pdp>'
    )


def test_the_bundle_is_the_local_sandbox_copy_in_local_builds(tmp_path):
    renderer = Renderer(settings_for(tmp_path, local_url="http://127.0.0.1:9999/v0"))
    assert renderer.bundle == '<script src="http://127.0.0.1:9999/components/dist.js" defer></script>'


def test_a_sandbox_build_uses_the_cdn_bundle_and_the_sandbox_pricing_url(tmp_path):
    env = {"CROISSANT_CLIENT_ID": "client", "CROISSANT_CLIENT_SECRET": "sbx-secret-value"}
    settings = settings_for(tmp_path, env=env, environment="sandbox", merchant_id="atelier-nord")
    renderer = Renderer(settings)
    assert renderer.bundle == '<script src="https://cdn.croissant.com/croissant-toggle-web-components/dist.js" defer></script>'
    component = renderer.pdp(product_with_id("P1"))
    assert f'pricing-url="{settings.pricing_url}"' in component
    assert settings.pricing_url.startswith("https://") and settings.pricing_url.endswith("/prices")
    assert "sbx-secret-value" not in component + renderer.bundle


def test_every_value_in_the_component_is_autoescaped(tmp_path):
    renderer = Renderer(settings_for(tmp_path, merchant_id=HOSTILE_MERCHANT))
    component = renderer.pdp(product_with_id(HOSTILE_ID, name="<b>bold</b> & co"))
    assert "<script" not in component and "<img" not in component
    assert 'merchant-id="m&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in component
    assert 'product-id="&#34;&gt;&lt;script&gt;alert(&#34;id&#34;)&lt;/script&gt;"' in component
    assert component.count("<") == 2  # the opening and the closing tag of the component, nothing else


def test_no_quantity_script_without_a_quantity_selector(tmp_path):
    component = Renderer(settings_for(tmp_path)).pdp(product_with_id("P1"))
    assert "<script" not in component
    assert component.endswith("</croissant-toggle-pdp>")


def test_the_quantity_script_follows_the_component_when_a_quantity_selector_is_set(tmp_path):
    component = Renderer(settings_for(tmp_path, quantity_selector="input[name=quantity]")).pdp(product_with_id("P1"))
    tag, script = component.split("\n", 1)
    assert tag.startswith("<croissant-toggle-pdp ") and tag.endswith("</croissant-toggle-pdp>")
    assert script.startswith("<script>") and script.endswith("</script>")
    assert 'var quantitySelector = "input[name=quantity]";' in script
    assert 'var ids = ["P1"];' in script


def test_hostile_values_cannot_close_the_quantity_script(tmp_path):
    selector = 'input</script><script>alert("sel")</script>'
    component = Renderer(settings_for(tmp_path, quantity_selector=selector)).pdp(product_with_id(HOSTILE_ID))
    script = component.split("\n", 1)[1]
    assert script.count("</script>") == 1 and script.endswith("</script>")
    assert "<script>alert" not in component


def test_the_checkout_script_carries_the_checkout_selector_as_json(tmp_path):
    script = Renderer(settings_for(tmp_path, checkout_selector='form#checkout</script>')).checkout()
    assert script.startswith("<script>") and script.endswith("</script>") and script.count("</script>") == 1
    assert "var selector = " in script and "form#checkout" in script


def test_a_user_template_overrides_one_template_and_the_rest_come_from_the_package(tmp_path):
    package_renderer = Renderer(settings_for(tmp_path))
    own = tmp_path / "own-templates"
    own.mkdir()
    (own / "pdp.html").write_text('<span class="mine" data-id="{{ product.id }}" data-m="{{ merchant_id }}"></span>\n', encoding="utf-8")
    renderer = Renderer(settings_for(tmp_path, templates_dir=str(own)))
    assert renderer.pdp(product_with_id("P&1")) == '<span class="mine" data-id="P&amp;1" data-m="local-merchant"></span>'
    assert renderer.bundle == package_renderer.bundle
    assert renderer.checkout() == package_renderer.checkout()


def test_a_template_using_an_unknown_variable_is_a_config_error_naming_the_template_and_the_name(tmp_path):
    own = tmp_path / "own-templates"
    own.mkdir()
    (own / "pdp.html").write_text("<x-pdp id=\"{{ product.id }}\" m=\"{{ merchnt_id }}\"></x-pdp>\n", encoding="utf-8")
    renderer = Renderer(settings_for(tmp_path, templates_dir=str(own)))
    with pytest.raises(ConfigError) as caught:
        renderer.pdp(product_with_id("P1"))
    assert len(caught.value.problems) == 1
    assert "pdp.html" in caught.value.problems[0] and "merchnt_id" in caught.value.problems[0]
    assert caught.value.__cause__ is not None  # chained from Jinja2's error


def test_a_broken_bundle_template_fails_when_the_renderer_is_made(tmp_path):
    own = tmp_path / "own-templates"
    own.mkdir()
    (own / "bundle.html").write_text("<script src=\"{{ bundle_url }\"></script>\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="bundle.html"):
        Renderer(settings_for(tmp_path, templates_dir=str(own)))


def test_the_fingerprint_is_stable_for_the_same_settings_and_templates(tmp_path):
    assert Renderer(settings_for(tmp_path)).fingerprint() == Renderer(settings_for(tmp_path)).fingerprint()


def test_the_fingerprint_changes_when_a_template_changes(tmp_path):
    own = tmp_path / "own-templates"
    own.mkdir()
    template = own / "pdp.html"
    template.write_text('<x-pdp id="{{ product.id }}"></x-pdp>\n', encoding="utf-8")
    settings = settings_for(tmp_path, templates_dir=str(own))
    before = Renderer(settings).fingerprint()
    template.write_text('<x-pdp data-id="{{ product.id }}"></x-pdp>\n', encoding="utf-8")
    after = Renderer(settings).fingerprint()
    assert before != after
    assert before != Renderer(settings_for(tmp_path)).fingerprint()  # the package's own pdp.html differs too


def test_the_fingerprint_changes_with_the_rendered_settings(tmp_path):
    base = Renderer(settings_for(tmp_path)).fingerprint()
    assert Renderer(settings_for(tmp_path, merchant_id="other")).fingerprint() != base
    assert Renderer(settings_for(tmp_path, quantity_selector="#qty")).fingerprint() != base


def test_a_page_with_variants_gets_one_component_and_a_script_mapping_its_variant_controls(tmp_path):
    small, large = product_with_id("TEE-S"), product_with_id("TEE-L")
    small, large = (replace(small, group_id="TEE", attributes=(("size", "S"),)), replace(large, group_id="TEE", attributes=(("size", "L"),)))
    selector = 'select.size</script><script>alert("x")</script>'
    component = Renderer(settings_for(tmp_path, variant_selector=selector)).pdp(small, [small, large])
    tag, script = component.split("\n", 1)
    assert 'product-id="TEE-S"' in tag and component.count("<croissant-toggle-pdp") == 1
    assert script.count("</script>") == 1 and "<script>alert" not in component
    variants = json.loads(script.split("var variants = ", 1)[1].split(";\n", 1)[0])
    assert variants == [{"id": "TEE-S", "attributes": {"size": "S"}}, {"id": "TEE-L", "attributes": {"size": "L"}}]
    assert json.loads(script.split("var variantSelector = ", 1)[1].split(";\n", 1)[0]) == selector


def test_the_default_variant_controls_cover_selects_radios_a_hidden_id_and_buy_buttons(tmp_path):
    selector = settings_for(tmp_path).variant_selector
    for control in ("select[name=size]", "select[name=color]", "input[type=radio][name=variant]", "input[type=hidden][name=id]",
                    "[data-item-id]", "select[name^=option]"):
        assert control in selector
