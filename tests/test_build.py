"""The build step end to end through the CLI, on real site folders, against the embedded sandbox:
injection, the sync it triggers, its guards (invalid, duplicate, drop) and what it reports."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from croissant_embed.cli import main
from croissant_embed.sandbox import SandboxStore

from .conftest import invoke, puts, sandbox_of
from .sites import REPO, copy_sample, make_store, product_page, snapshot, without_insertions, write_config, write_page

GOLDEN = REPO / "tests" / "golden" / "sample"
GOLDEN_PAGES = [
    "products/cafe-cable-beanie/index.html",       # our attributes
    "products/vinter-down-parka/index.html",       # JSON-LD @graph
    "products/orsted-merino-scarf/index.html",     # microdata + <croissant-slot>
    "products/leather-card-holder/index.html",     # CSS capture + placement selector
    "products/roll-top-backpack/index.html",       # Snipcart, id that needs URL-encoding
]


@pytest.fixture
def sample(tmp_path) -> Path:
    return copy_sample(tmp_path)


def test_product_pages_are_injected_as_the_golden_files_show(sample):
    result = invoke("build", "--config", str(sample), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    site = sample.parent / "public"
    if os.environ.get("UPDATE_GOLDEN"):
        for rel in GOLDEN_PAGES:
            target = GOLDEN / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes((site / rel).read_bytes())
    for rel in GOLDEN_PAGES:
        assert (site / rel).read_bytes() == (GOLDEN / rel).read_bytes(), rel


def test_a_second_build_changes_nothing_and_sends_nothing(sample):
    assert invoke("build", "--config", str(sample), catch_exceptions=False).exit_code == 0
    site = sample.parent / "public"
    first = snapshot(site)
    puts_before = sandbox_of(sample).request_count("PUT")
    again = invoke("build", "--config", str(sample), "--report", str(sample.parent / "r.json"), catch_exceptions=False)
    assert again.exit_code == 0
    assert snapshot(site) == first
    assert sandbox_of(sample).request_count("PUT") == puts_before == 14  # 11 products and the jumper's 3 sizes
    report = json.loads((sample.parent / "r.json").read_text())
    assert {p["status"] for p in report["pages"]} == {"unchanged", "not-product", "invalid"}
    assert {p["action"] for p in report["products"] if p["action"] != "invalid"} == {"unchanged"}


def test_removing_the_insertions_gives_back_every_original_byte(sample):
    site = sample.parent / "public"
    original = snapshot(site)
    assert invoke("build", "--config", str(sample), catch_exceptions=False).exit_code == 0
    after = snapshot(site)
    assert after.keys() == original.keys()
    changed = [rel for rel in after if after[rel] != original[rel]]
    assert len(changed) == 13  # 12 product pages and the checkout page
    for rel, data in after.items():
        assert without_insertions(data) == original[rel], rel


def test_every_product_the_report_calls_synced_is_in_the_sandbox_with_that_payload(sample):
    report_path = sample.parent / "report.json"
    assert invoke("build", "--config", str(sample), "--report", str(report_path), catch_exceptions=False).exit_code == 0
    report = json.loads(report_path.read_text())
    held = {pid: payload for pid, payload, _ in sandbox_of(sample).products()}
    synced = [p for p in report["products"] if p["result"] == "synced"]
    assert len(synced) == 14
    for entry in synced:
        assert held[entry["id"]] == entry["payload"]
    assert "bags/roll-top 25L" in held
    sizes = {pid: (held[pid]["retailPrice"], held[pid]["groupId"]) for pid in held if pid.startswith("AN-KNT-001")}
    assert sizes == {"AN-KNT-001-S": (14900, "AN-KNT-001"), "AN-KNT-001-M": (15900, "AN-KNT-001"), "AN-KNT-001-L": (17500, "AN-KNT-001")}
    assert report["totals"]["result_synced"] == 14 and report["totals"]["action_invalid"] == 1
    invalid = [p for p in report["products"] if p["action"] == "invalid"]
    assert invalid[0]["id"] == "AN-OUT-003" and "price" in invalid[0]["error"] and invalid[0]["result"] == "skipped"
    assert all("/" in p["path"] or p["path"].endswith(".html") for p in report["pages"])
    assert not any(p["path"].startswith("/") or "\\" in p["path"] for p in report["pages"])


def test_changing_one_price_sends_exactly_one_put(sample):
    assert invoke("build", "--config", str(sample), catch_exceptions=False).exit_code == 0
    page = sample.parent / "public" / "products" / "fjell-shell-jacket" / "index.html"
    page.write_text(page.read_text(encoding="utf-8").replace("289.00", "299.00"), encoding="utf-8")
    store = sandbox_of(sample)
    before = store.request_count("PUT")
    report_path = sample.parent / "r.json"
    assert invoke("build", "--config", str(sample), "--report", str(report_path), catch_exceptions=False).exit_code == 0
    assert store.request_count("PUT") == before + 1
    assert store.get_product("AN-JKT-001")["retailPrice"] == 29900
    actions = {p["id"]: p["action"] for p in json.loads(report_path.read_text())["products"]}
    assert actions["AN-JKT-001"] == "update"


def test_dry_run_writes_no_page_and_sends_nothing_but_writes_the_plan(sample):
    site = sample.parent / "public"
    before = snapshot(site)
    plan = sample.parent / "plan.json"
    result = invoke("build", "--config", str(sample), "--dry-run", "--plan", str(plan), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert snapshot(site) == before
    assert not (sample.parent / ".croissant" / "sandbox.sqlite3").exists()
    planned = json.loads(plan.read_text())
    assert len(planned["products"]) == 14 and {p["action"] for p in planned["products"]} == {"create"}
    assert "would create 'AN-JKT-001'" in result.output


def test_full_sends_every_product_again(sample):
    assert invoke("build", "--config", str(sample), catch_exceptions=False).exit_code == 0
    assert invoke("build", "--config", str(sample), "--full", catch_exceptions=False).exit_code == 0
    assert sandbox_of(sample).request_count("PUT") == 28


def test_out_folder_leaves_the_source_untouched(sample, tmp_path):
    site = sample.parent / "public"
    before = snapshot(site)
    result = invoke("build", "--config", str(sample), "--out", str(tmp_path / "dist"), catch_exceptions=False)
    assert result.exit_code == 0
    assert snapshot(site) == before
    assert b"<croissant-toggle-pdp" in (tmp_path / "dist" / "products" / "fjell-shell-jacket" / "index.html").read_bytes()


def test_a_site_without_product_pages_is_a_usage_error(tmp_path):
    write_page(tmp_path / "site", "index.html", "<!DOCTYPE html><html><body><p>hello</p></body></html>")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "site"), "--config", str(write_config(tmp_path))])
    assert result.exit_code == 2
    assert "no product pages among the 1 pages" in result.output


def test_one_id_with_two_different_payloads_names_both_pages(tmp_path):
    site = tmp_path / "site"
    write_page(site, "a/index.html", product_page("SAME", "10.00", name="First"))
    write_page(site, "b/index.html", product_page("SAME", "12.00", name="Second"))
    result = CliRunner().invoke(main, ["build", str(site), "--config", str(write_config(tmp_path))])
    assert result.exit_code == 3
    assert "a/index.html" in result.output and "b/index.html" in result.output and "'SAME'" in result.output
    assert not (tmp_path / ".croissant" / "sandbox.sqlite3").exists()


def test_invalid_products_over_the_threshold_stop_the_sync_with_exit_3(tmp_path):
    site = tmp_path / "site"
    write_page(site, "good/index.html", product_page("GOOD", "10.00"))
    write_page(site, "bad/index.html", product_page("BAD", "Free"))
    result = CliRunner().invoke(main, ["build", str(site), "--config", str(write_config(tmp_path))])
    assert result.exit_code == 3
    assert "bad/index.html: product BAD: price:" in result.output and "nothing was synced" in result.output
    ok = CliRunner().invoke(main, ["build", str(site), "--config", str(write_config(tmp_path)), "--max-invalid", "1"])
    assert ok.exit_code == 0, ok.output
    assert [pid for pid, _, _ in SandboxStore(str(tmp_path / ".croissant" / "sandbox.sqlite3")).products()] == ["GOOD"]


def test_build_site_dir_works_with_no_config_for_structured_data(tmp_path, monkeypatch):
    site = tmp_path / "site"
    write_page(site, "p/index.html", product_page("NOCONF", "5.00"))
    cwd = tmp_path / "elsewhere"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    result = CliRunner().invoke(main, ["build", str(site)])
    assert result.exit_code == 0, result.output
    assert (cwd / ".croissant" / "state.json").is_file()
    assert not (site / ".croissant").exists()
    assert b"product-id=\"NOCONF\"" in (site / "p" / "index.html").read_bytes()


def test_encodings_bom_and_line_endings_are_kept_byte_for_byte(tmp_path):
    site = tmp_path / "site"
    latin = product_page("LAT", "10.00", name="Cr\u00e8me br\u00fbl\u00e9e").replace('charset="utf-8"', 'charset="iso-8859-1"')
    write_page(site, "latin/index.html", latin, encoding="latin-1", newline="\r\n")
    bom = write_page(site, "bom/index.html", product_page("BOM", "11.00", name="\u00c5se"), encoding="utf-8-sig")
    original = {"latin": (site / "latin" / "index.html").read_bytes(), "bom": bom.read_bytes()}
    result = CliRunner().invoke(main, ["build", str(site), "--config", str(write_config(tmp_path))])
    assert result.exit_code == 0, result.output
    latin_after = (site / "latin" / "index.html").read_bytes()
    assert without_insertions(latin_after, "latin-1") == original["latin"]
    assert b"\r\n" in latin_after and b"\n<croissant" not in latin_after.replace(b"\r\n", b"")
    assert bom.read_bytes().startswith(b"\xef\xbb\xbf")
    assert without_insertions(bom.read_bytes(), "utf-8-sig") == original["bom"]
    assert SandboxStore(str(tmp_path / ".croissant" / "sandbox.sqlite3")).get_product("LAT")["name"] == "Cr\u00e8me br\u00fbl\u00e9e"


def test_a_users_template_folder_overrides_the_builtin_templates(tmp_path):
    site = tmp_path / "site"
    write_page(site, "p/index.html", product_page("TPL", "5.00"))
    templates = tmp_path / "my-templates"
    templates.mkdir()
    (templates / "pdp.html").write_text('<div class="mine">{{ product.id }} {{ product.name }}</div>', encoding="utf-8")
    config = write_config(tmp_path, 'base_url = "https://s.example/"\ntemplates_dir = "my-templates"\n')
    assert CliRunner().invoke(main, ["build", str(site), "--config", str(config)]).exit_code == 0
    text = (site / "p" / "index.html").read_text(encoding="utf-8")
    assert '<div class="mine">TPL Thing</div>' in text
    assert "croissant-toggle-web-components" not in text and "/components/dist.js" in text


def test_payload_fields_can_be_renamed_and_constants_added(tmp_path):
    site = tmp_path / "site"
    write_page(site, "p/index.html", product_page("REN", "5.00"))
    config = write_config(tmp_path, 'base_url = "https://s.example/"\n[payload.fields]\nname = "title"\n[payload.extra]\nchannel = "static"\n')
    result = CliRunner().invoke(main, ["build", str(site), "--config", str(config), "--dry-run", "--plan", str(tmp_path / "plan.json")])
    assert result.exit_code == 0, result.output
    [planned] = json.loads((tmp_path / "plan.json").read_text())["products"]
    assert planned["payload"] == {"title": "Thing", "retailPrice": 500, "retailCurrency": "USD", "url": "https://s.example/REN/", "sku": "REN", "channel": "static"}


def test_hostile_product_data_is_escaped_in_the_page(tmp_path):
    site = tmp_path / "site"
    hostile = 'X"><script>alert(1)</script>'
    body = (f"<!DOCTYPE html><html><head></head><body><div data-croissant-product-id='{hostile}' "
            "data-croissant-price='5' data-croissant-name='{{ 7*7 }} name'><span class='price'>$5.00</span></div></body></html>")
    write_page(site, "p/index.html", body)
    config = write_config(tmp_path, 'base_url = "https://s.example/"\ndefault_currency = "USD"\nquantity_selector = "input[name=\\"q\\"]</script>"\n')
    result = CliRunner().invoke(main, ["build", str(site), "--config", str(config)])
    assert result.exit_code == 0, result.output
    text = (site / "p" / "index.html").read_text(encoding="utf-8")
    inserted = text[text.index("<croissant-toggle-pdp"):]
    assert "<script>alert(1)" not in inserted and 'product-id="X&#34;&gt;&lt;script&gt;' in inserted
    assert "</script>\"" not in inserted and "\\u003c/script\\u003e" in inserted
    assert "49" not in inserted


def test_configuration_problems_are_all_listed_with_their_fix(tmp_path):
    config = write_config(tmp_path, 'environment = "staging"\nclient_secret = "oops"\nconcurrency = 0\nbase_url = "shop.example"\ncolour = 1\n')
    result = CliRunner().invoke(main, ["build", str(tmp_path), "--config", str(config)])
    assert result.exit_code == 2
    for fragment in ("environment: 'staging'", "client_secret must not be in a file", "concurrency: 0 must be at least 1", "base_url: 'shop.example'", "unknown key 'colour'"):
        assert fragment in result.output
    assert "oops" not in result.output


def test_the_state_folder_may_not_live_inside_the_site(tmp_path):
    site = tmp_path / "site"
    write_page(site, "p/index.html", product_page("IN", "5.00"))
    config = write_config(site, 'site_dir = "."\nbase_url = "https://s.example/"\n')
    result = CliRunner().invoke(main, ["build", "--config", str(config)])
    assert result.exit_code == 2 and "keep croissant.toml outside the site" in result.output


def test_a_page_moved_with_the_same_bytes_gets_its_new_url(tmp_path):
    site = tmp_path / "site"
    body = product_page("MOVE", "5.00").replace('"url":"https://s.example/MOVE/",', "")
    write_page(site, "old/index.html", body)
    config = write_config(tmp_path)
    assert CliRunner().invoke(main, ["build", str(site), "--config", str(config), "--dry-run"]).exit_code == 0
    (site / "old" / "index.html").rename(site / "new.html")
    (site / "old").rmdir()
    plan = tmp_path / "plan.json"
    assert CliRunner().invoke(main, ["build", str(site), "--config", str(config), "--dry-run", "--plan", str(plan)]).exit_code == 0
    [planned] = json.loads(plan.read_text())["products"]
    assert planned["payload"]["url"] == "https://s.example/new.html"


def test_the_checkout_page_gets_the_opt_in_script_and_product_pages_do_not(tmp_path):
    config = copy_sample(tmp_path)
    assert CliRunner().invoke(main, ["build", "--config", str(config), "--dry-run"]).exit_code == 0
    result = CliRunner().invoke(main, ["build", "--config", str(config), "--report", str(tmp_path / "r.json")])
    assert result.exit_code == 0
    cart = (config.parent / "public" / "cart" / "index.html").read_text(encoding="utf-8")
    assert cart.count("<!--croissant-embed ") == 1 and 'var selector = "form#checkout";' in cart
    product = (config.parent / "public" / "products" / "fjell-shell-jacket" / "index.html").read_text(encoding="utf-8")
    assert "croissant_opt_in\"]" not in product
    pages = {p["path"]: p for p in json.loads((tmp_path / "r.json").read_text())["pages"]}
    assert pages["cart/index.html"]["status"] == "injected" and pages["cart/index.html"]["reason"] == "checkout: opt-in script"


def test_products_that_left_the_site_are_reported_for_follow_up(tmp_path):
    config = copy_sample(tmp_path)
    assert invoke("build", "--config", str(config)).exit_code == 0
    (config.parent / "public" / "products" / "weekender-duffel" / "index.html").unlink()
    prune = tmp_path / "prune.json"
    result = invoke("build", "--config", str(config), "--prune-report", str(prune))
    assert result.exit_code == 0
    assert "1 products synced before are no longer on the site" in result.output and "'AN-BAG-003'" in result.output
    assert [r["id"] for r in json.loads(prune.read_text())["removed"]] == ["AN-BAG-003"]


def test_a_sudden_drop_in_products_stops_the_sync(tmp_path):
    site = tmp_path / "site"
    make_store(site, 30)
    config = tmp_path / "croissant.toml"
    config.write_text('base_url = "https://s.example/"\n', encoding="utf-8")
    assert invoke("build", str(site), "--config", str(config)).exit_code == 0
    for index in range(20):
        (site / "p" / f"{index:05d}" / "index.html").unlink()
    (site / "p" / "00025" / "index.html").write_text(
        (site / "p" / "00025" / "index.html").read_text(encoding="utf-8").replace("25.00", "26.00"), encoding="utf-8")
    stopped = invoke("build", str(site), "--config", str(config))
    assert stopped.exit_code == 3 and "dropped from 30 to 10" in stopped.output and "--allow-drop" in stopped.output
    assert puts(config) == 30
    allowed = invoke("build", str(site), "--config", str(config), "--allow-drop")
    assert allowed.exit_code == 0 and puts(config) == 31
