"""The preview in headless Chromium: components, variants, opt-in, checkout, carts (issues 4, 13).

Needs Debian's chromium and chromium-driver (.ci/run installs them); on a machine without
them these tests are skipped, except under CI, where their absence is a failure.
"""

from __future__ import annotations

import os
import shutil
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from croissant_embed.cli import main
from croissant_embed.preview import Preview
from croissant_embed.settings import load_settings

from .chromium import ARTIFACTS, new_driver, wait
from .sites import REPO, copy_sample, jacket_page, reprice

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

JUMPER = "strikket-genser-blabaer"
"""The sample store's knitted jumper: sizes S, M and L at three prices."""


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("browser"))


@pytest.fixture(scope="module")
def preview(config):
    with Preview(load_settings(config=config), port=0) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    driver = new_driver()
    yield driver
    driver.quit()


def open_product(browser, preview, slug: str, *, state: str = "eligible"):
    browser.get(f"{preview.url}/products/{slug}/")
    return wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, f"croissant-toggle-pdp[data-state={state}]"))


def set_choice(browser, preview, opted_in: bool) -> None:
    component = open_product(browser, preview, "vinter-down-parka")
    toggle = component.find_element(By.CSS_SELECTOR, "input.croissant-opt-in")
    if toggle.is_selected() != opted_in:
        toggle.click()
    wait(browser, lambda d: d.execute_script("return localStorage.getItem('croissant_opt_in')") == ("true" if opted_in else "false"))


def checkout(browser, preview, product_id: str = "AN-JKT-002") -> str:
    browser.get(f"{preview.url}/cart/")
    Select(browser.find_element(By.NAME, "product_id")).select_by_value(product_id)
    browser.find_element(By.NAME, "email").send_keys("shopper@example.com")
    browser.find_element(By.CSS_SELECTOR, "form#checkout button[type=submit]").click()
    return wait(browser, lambda d: d.find_element(By.ID, "cart-id")).text


def test_a_product_page_shows_the_sandbox_buyback_next_to_the_price(browser, preview):
    component = open_product(browser, preview, "fjell-shell-jacket")
    assert "$115.60 cash" in component.text and "$144.50 store credit" in component.text
    beside_price = browser.execute_script(
        "var c = document.querySelector('croissant-toggle-pdp'); var p = document.querySelector('.price-block .price');"
        "return c.parentNode === p.parentNode && !!(p.compareDocumentPosition(c) & Node.DOCUMENT_POSITION_FOLLOWING);"
    )
    assert beside_price is True
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "product-page.png"))
    if os.environ.get("UPDATE_SCREENSHOT"):
        shutil.copy(ARTIFACTS / "product-page.png", REPO / "sample_site" / "preview-product-page.png")


def test_an_ineligible_product_shows_nothing(browser, preview):
    component = open_product(browser, preview, "wool-hiking-socks", state="ineligible")
    assert component.text == "" and not component.is_displayed()
    assert browser.find_element(By.CSS_SELECTOR, ".price").text == "$18.00"


def test_the_component_follows_the_quantity_input(browser, preview):
    component = open_product(browser, preview, "fjell-shell-jacket")
    quantity = browser.find_element(By.NAME, "quantity")
    quantity.clear()
    quantity.send_keys("2")
    wait(browser, lambda d: component.get_attribute("quantity") == "2" and "$231.20 cash" in component.text)


def test_the_component_follows_the_size_the_shopper_chooses(browser, preview):
    component = open_product(browser, preview, JUMPER)
    assert component.get_attribute("product-id") == "AN-KNT-001-M"  # the size the page preselects
    wait(browser, lambda d: "$63.60 cash" in component.text)
    Select(browser.find_element(By.NAME, "size")).select_by_visible_text("L")
    wait(browser, lambda d: component.get_attribute("product-id") == "AN-KNT-001-L"
         and "$70.00 cash" in component.text and "$87.50 store credit" in component.text)
    assert browser.find_element(By.CSS_SELECTOR, ".price-block .price").text == "$175.00"  # the theme's own script


def test_a_variant_named_in_the_url_is_the_one_the_component_shows(browser, preview):
    browser.get(f"{preview.url}/products/{JUMPER}/?variant=AN-KNT-001-S")
    component = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "croissant-toggle-pdp[product-id='AN-KNT-001-S']"))
    wait(browser, lambda d: "$59.60 cash" in component.text and "$74.50 store credit" in component.text)


def test_toggling_the_opt_in_sets_croissant_opt_in(browser, preview):
    component = open_product(browser, preview, "orsted-merino-scarf")
    browser.execute_script("localStorage.removeItem('croissant_opt_in')")
    toggle = component.find_element(By.CSS_SELECTOR, "input.croissant-opt-in")
    toggle.click()
    assert browser.execute_script("return localStorage.getItem('croissant_opt_in')") == "true"
    toggle.click()
    assert browser.execute_script("return localStorage.getItem('croissant_opt_in')") == "false"


@pytest.mark.parametrize("choice", [True, False, None], ids=["opted-in", "opted-out", "never-chose"])
def test_checkout_creates_exactly_one_cart_with_the_shoppers_choice(browser, preview, choice):
    if choice is None:
        browser.get(f"{preview.url}/about/")
        browser.execute_script("localStorage.clear()")
    else:
        set_choice(browser, preview, choice)
    before = len(preview.store.carts())
    cart_id = checkout(browser, preview)
    carts = preview.store.carts()
    assert len(carts) == before + 1
    [cart] = [c for c in carts if c["id"] == cart_id]
    assert cart["isOptedIn"] is (choice is True)
    assert cart["products"] == [{"retailerProductId": "AN-JKT-002", "quantity": 1, "retailSalePrice": 44900, "retailSaleCurrency": "USD"}]


def test_fulfil_and_cancel_through_the_cli_change_the_cart_state(browser, preview, config):
    set_choice(browser, preview, True)
    shipped, cancelled = checkout(browser, preview), checkout(browser, preview)
    runner = CliRunner()
    fulfil = runner.invoke(main, ["carts", "fulfill", shipped, "--config", str(config)])
    assert fulfil.exit_code == 0, fulfil.output
    assert '"state": "fulfilled"' in fulfil.output
    cancel = runner.invoke(main, ["carts", "cancel", cancelled, "--config", str(config)])
    assert cancel.exit_code == 0 and '"state": "cancelled"' in cancel.output
    refused = runner.invoke(main, ["carts", "cancel", shipped, "--config", str(config)])
    assert refused.exit_code == 1 and "cannot be cancelled" in refused.output
    states = {c["id"]: c["state"] for c in preview.store.carts()}
    assert (states[shipped], states[cancelled]) == ("fulfilled", "cancelled")
    got = runner.invoke(main, ["carts", "get", shipped, "--config", str(config)])
    assert '"payoutType": "cash"' in got.output and '"value": 17960' in got.output


def test_a_watched_preview_shows_a_new_price_and_its_buyback_without_a_manual_reload(browser, tmp_path):
    config = copy_sample(tmp_path)
    with Preview(load_settings(config=config), port=0) as watched:
        watched.watch(poll=True)
        component = open_product(browser, watched, "fjell-shell-jacket")
        wait(browser, lambda d: "$115.60 cash" in component.text)
        browser.execute_script("window.croissantNotReloaded = true;")  # gone once the page reloads by itself
        time.sleep(0.6)
        reprice(jacket_page(config), "289.00", "349.00")
        wait(browser, lambda d: d.execute_script("return window.croissantNotReloaded") is None, timeout=30)
        fresh = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "croissant-toggle-pdp[data-state=eligible]"))
        wait(browser, lambda d: "$139.60 cash" in fresh.text and "$174.50 store credit" in fresh.text)
        assert browser.find_element(By.CSS_SELECTOR, ".price-block .price").text == "$349.00"
