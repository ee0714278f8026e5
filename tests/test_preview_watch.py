"""``preview --watch`` (issue 14): a change in the site folder is rebuilt, synced to the embedded
sandbox and served, open pages are told to reload; with watchfiles and with the polling fallback."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

from croissant_embed.preview import VERSION_PATH, Preview
from croissant_embed.settings import load_settings

from .conftest import wait_for
from .sites import JACKET, copy_sample, jacket_page, reprice


@pytest.mark.parametrize("poll", [False, True], ids=["watchfiles", "polling"])
def test_a_changed_price_in_the_site_folder_is_rebuilt_synced_and_served(tmp_path, poll):
    config = copy_sample(tmp_path)
    rebuilt = []
    with Preview(load_settings(config=config), port=0) as preview:
        used = preview.watch(lambda changed, result, error: rebuilt.append((changed, result, error)), poll=poll)
        assert used == ("polling" if poll else "watchfiles")
        version = httpx.get(preview.url + VERSION_PATH).json()["version"]
        page = httpx.get(preview.url + "/products/fjell-shell-jacket/").text
        assert VERSION_PATH in page  # the live reload, served (never written into the build)
        assert VERSION_PATH not in (preview.out_dir / "products" / "fjell-shell-jacket" / "index.html").read_text("utf-8")
        time.sleep(0.3)  # let the watcher take its first look before the change
        reprice(jacket_page(config), "289.00", "299.00")
        wait_for(lambda: httpx.get(preview.url + VERSION_PATH).json()["version"] > version, timeout=30)
        [(changed, result, error)] = rebuilt
        assert error is None and jacket_page(config).resolve() in {path.resolve() for path in changed}
        assert {entry.id for entry in result.products if entry.action == "update"} == {JACKET}  # only what changed is sent
        held = {pid: payload for pid, payload, _ in preview.store.products()}
        assert held[JACKET]["retailPrice"] == 29900
        assert "$299.00" in httpx.get(preview.url + "/products/fjell-shell-jacket/").text
        assert preview.catalogue.prices[JACKET][0] == 29900  # the checkout trusts the new price


def test_a_rebuild_that_fails_is_said_and_the_previous_build_stays_served(tmp_path):
    config = copy_sample(tmp_path)
    said = []
    with Preview(load_settings(config=config), port=0) as preview:
        preview.watch(lambda changed, result, error: said.append((result, error)), poll=True)
        time.sleep(0.3)
        for page in (config.parent / "public" / "products").glob("*/index.html"):
            page.write_text("<!DOCTYPE html><html><body>gone</body></html>", encoding="utf-8")  # no product page left
        wait_for(lambda: said, timeout=30)
        [(result, error)] = said
        assert result is None and "no product pages" in error
        assert httpx.get(preview.url + "/products/fjell-shell-jacket/").status_code == 200
        assert "$289.00" in httpx.get(preview.url + "/products/fjell-shell-jacket/").text


def test_the_preview_command_watches_and_says_each_rebuild(tmp_path):
    config = copy_sample(tmp_path)
    process = subprocess.Popen(
        [sys.executable, "-m", "croissant_embed", "preview", "--config", str(config), "--port", "0", "--watch", "--poll"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, cwd=config.parent, env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(process.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        wait_for(lambda: any(line.startswith("watching ") for line in lines), timeout=60)
        text = "".join(lines)
        assert f"preview of {config.parent / 'public'}: environment local (the embedded sandbox " in text
        assert "watching " in text and "(polling)" in text and "report: http://127.0.0.1:" in text
        url = re.search(r"Preview: (\S+)/", text).group(1)
        assert json.loads(httpx.get(url + VERSION_PATH).text)["version"] == 1
        time.sleep(0.6)
        reprice(jacket_page(config), "289.00", "279.00")
        wait_for(lambda: any(line.startswith("rebuilt after ") for line in lines), timeout=30)
        [line] = [line for line in lines if line.startswith("rebuilt after ")]
        assert "products: 0 to create, 1 to update" in line and "sync: 1 synced, 0 failed" in line
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    assert "Traceback" not in "".join(lines)
