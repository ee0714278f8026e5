"""Headless Chromium for the browser tests, through Debian's chromium and chromium-driver.

Importing this skips the importing test module on a machine without them, except under CI,
where their absence is a failure (.ci/run installs them).
"""

from __future__ import annotations

import os
import shutil
import tempfile

import pytest

from .sites import REPO

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
ARTIFACTS = REPO / "tests" / "artifacts"
"""Where browser tests leave their screenshots."""

if not (CHROMIUM and CHROMEDRIVER):
    if os.environ.get("CI"):
        raise RuntimeError("CI must install chromium and chromium-driver (see .ci/run)")
    pytest.skip("chromium and chromium-driver are not installed", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


def new_driver(width: int = 1100, height: int = 1000) -> webdriver.Chrome:
    """A headless Chromium that downloads nothing and keeps no state between runs."""
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--disable-dev-shm-usage", f"--window-size={width},{height}", f"--user-data-dir={tempfile.mkdtemp()}"):
        options.add_argument(flag)
    return webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)


def wait(browser: webdriver.Chrome, condition, timeout: float = 10):  # type: ignore[no-untyped-def]
    """What ``condition`` returns once it holds (a timeout fails the test)."""
    return WebDriverWait(browser, timeout).until(condition)
