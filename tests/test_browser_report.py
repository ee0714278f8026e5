"""The HTML report in headless Chromium: from a file and from the preview, filters, search, links, phone width (issue 14).

Needs Debian's chromium and chromium-driver (.ci/run installs them); on a machine without
them these tests are skipped, except under CI, where their absence is a failure.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import httpx
import pytest

from croissant_embed.preview import REPORT_PATH, Preview
from croissant_embed.settings import load_settings

from .conftest import invoke
from .chromium import ARTIFACTS, new_driver, wait
from .sites import REPO, copy_sample

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

WIDTH, HEIGHT = 1100, 1000


@pytest.fixture(scope="module")
def config(tmp_path_factory) -> Path:
    return copy_sample(tmp_path_factory.mktemp("browser-report"))


@pytest.fixture(scope="module")
def report_file(tmp_path_factory) -> Path:
    """The sample store's report, written by a dry run into a folder of its own."""
    config = copy_sample(tmp_path_factory.mktemp("report-file"))
    result = invoke("build", "--config", str(config), "--dry-run", "--report-html", "reports/report.html", cwd=config.parent)
    assert result.exit_code == 0, result.output
    return config.parent / "reports" / "report.html"


@pytest.fixture(scope="module")
def preview(config):
    with Preview(load_settings(config=config), port=0) as running:
        yield running


@pytest.fixture(scope="module")
def browser():
    driver = new_driver(WIDTH, HEIGHT)
    yield driver
    driver.quit()


def visible_rows(browser, selector: str = "[data-row]") -> list[str]:
    """The ``data-row`` of every row the page shows."""
    return [row.get_attribute("data-row") for row in browser.find_elements(By.CSS_SELECTOR, selector) if row.is_displayed()]


def search(browser, text: str) -> None:
    box = browser.find_element(By.ID, "search")
    box.send_keys(Keys.CONTROL, "a")  # as a person edits it (clear() fires no input event)
    box.send_keys(Keys.BACKSPACE, *([text] if text else []))


def test_the_report_opens_from_a_file_loading_nothing_and_its_filters_hide_and_show_rows(browser, report_file):
    browser.get(report_file.as_uri())
    assert browser.find_element(By.TAG_NAME, "h1").text == "croissant-embed report"
    assert browser.execute_script("return performance.getEntriesByType('resource').length") == 0  # nothing fetched
    everything = visible_rows(browser)
    assert "page:injected" in everything and "page:invalid" in everything and "product:planned" in everything
    injected = browser.find_element(By.CSS_SELECTOR, 'input[data-filter="page:injected"]')
    injected.click()
    assert "page:injected" not in visible_rows(browser) and "page:invalid" in visible_rows(browser)
    assert len(visible_rows(browser)) == len(everything) - everything.count("page:injected")
    injected.click()
    assert visible_rows(browser) == everything
    planned = browser.find_element(By.CSS_SELECTOR, 'input[data-filter="product:planned"]')
    planned.click()
    assert "product:planned" not in visible_rows(browser)
    assert not browser.find_element(By.CSS_SELECTOR, 'section[data-group] tr[data-row="product:planned"]').is_displayed()
    planned.click()


def test_the_search_box_keeps_the_rows_of_a_path_id_or_name(browser, report_file):
    browser.get(report_file.as_uri())
    total = len(visible_rows(browser))
    for text, expected in (("thermos", {"page:invalid", "product:invalid"}),  # a path
                           ("an-jkt-001", {"page:injected", "product:planned"}),  # an id, in any case
                           ("Fjell Shell", {"page:injected", "product:planned"})):  # a name
        search(browser, text)
        assert set(visible_rows(browser)) == expected, text
        assert 0 < len(visible_rows(browser)) < total
    search(browser, "no such product anywhere")
    assert visible_rows(browser) == []
    search(browser, "")
    assert len(visible_rows(browser)) == total


def test_a_page_link_of_the_preview_report_opens_the_page_with_the_component_highlighted(browser, preview):
    browser.get(preview.url + REPORT_PATH)
    assert browser.find_element(By.CSS_SELECTOR, '[data-row="product:synced"]').is_displayed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    browser.save_screenshot(str(ARTIFACTS / "report.png"))
    if os.environ.get("UPDATE_SCREENSHOT"):
        shutil.copy(ARTIFACTS / "report.png", REPO / "sample_site" / "report-screenshot.png")
    link = browser.find_element(By.CSS_SELECTOR, 'article[data-search*="an-jkt-001"] a.path')
    href = link.get_attribute("href")
    assert href.startswith(preview.url + "/products/fjell-shell-jacket/") and httpx.get(href).status_code == 200
    link.click()
    component = wait(browser, lambda d: d.find_element(By.CSS_SELECTOR, "croissant-toggle-pdp[data-croissant-highlight]"))
    wait(browser, lambda d: "$115.60 cash" in component.text)  # the page works as ever, outlined
    assert browser.execute_script("return getComputedStyle(arguments[0]).outlineStyle", component) == "dashed"
    assert "component is outlined" in browser.find_element(By.ID, "croissant-highlight-label").text
    browser.get(preview.url + "/products/fjell-shell-jacket/")
    assert browser.find_elements(By.CSS_SELECTOR, "[data-croissant-highlight]") == []


def test_the_report_reads_on_a_phone_without_sideways_scrolling(browser, preview):
    browser.set_window_size(390, 844)
    try:
        browser.get(preview.url + REPORT_PATH)
        assert browser.execute_script("return document.documentElement.scrollWidth <= window.innerWidth") is True
        head = browser.find_element(By.CSS_SELECTOR, "table.results thead")
        assert not head.is_displayed()  # each result row is a card with its own labels
        row = browser.find_element(By.CSS_SELECTOR, 'tr[data-row="product:synced"]')
        assert browser.execute_script("return getComputedStyle(arguments[0]).display", row) == "block"
    finally:
        browser.set_window_size(WIDTH, HEIGHT)
