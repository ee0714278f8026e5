"""Settings: every key at every level is checked, secrets never live in files or URLs."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from croissant_embed.cli import main

from .conftest import SECRET
from .sites import product_page, write_page


def check(tmp_path: Path, toml: str, *, env: dict[str, str] | None = None):
    """``croissant-embed check --offline`` on a config holding ``toml``."""
    config = tmp_path / "croissant.toml"
    config.write_text(toml, encoding="utf-8")
    return CliRunner().invoke(main, ["check", "--offline", "--config", str(config)], env=env or {})


@pytest.mark.parametrize(("toml", "expected"), [
    ('[placement]\nselecter = ".price"\n', "[placement]: unknown key 'selecter'; did you mean 'selector'?"),
    ('[payload]\nfeilds = { price = "amount" }\n', "[payload]: unknown key 'feilds'; did you mean 'fields'?"),
    ('[payload.fields]\nprise = "amount"\n', "[payload.fields]: unknown key 'prise'; did you mean 'price'?"),
    ('[capture]\npirce = ".price"\n', "[capture]: unknown key 'pirce'; did you mean 'price'?"),
    ('default_curency = "EUR"\n', "unknown key 'default_curency'; did you mean 'default_currency'?"),
])
def test_a_typo_at_any_level_is_an_error_with_the_near_miss(tmp_path, toml, expected):
    result = check(tmp_path, toml)
    assert result.exit_code == 2 and expected in result.output, result.output


@pytest.mark.parametrize("toml", [
    f'[payload.extra]\nclient_secret = "{SECRET}"\n',
    f'[payload.extra]\nnote = "{SECRET}"\n',
    f'[payload.extra.meta]\napi_token = "{SECRET}"\n',
])
def test_a_secret_anywhere_in_the_file_is_refused_and_never_echoed(tmp_path, toml):
    result = check(tmp_path, toml, env={"CROISSANT_CLIENT_SECRET": SECRET})
    assert result.exit_code == 2
    assert "must not be in a file" in result.output or "holds the client secret" in result.output
    assert SECRET not in result.output


def test_a_secret_in_payload_extra_never_reaches_a_payload_or_a_feed(tmp_path):
    write_page(tmp_path / "site", "p/index.html", product_page("P1", "25.00"))
    config = tmp_path / "croissant.toml"
    config.write_text(f'[payload.extra]\nclient_secret = "{SECRET}"\n', encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(tmp_path / "site"), "--config", str(config), "--feed", "feed"])
    assert result.exit_code == 2 and SECRET not in result.output
    assert not (tmp_path / "site" / "feed.json").exists()
    assert SECRET not in (tmp_path / "site" / "p" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("key", ["api_url", "base_url", "local_url"])
def test_a_url_carrying_credentials_is_refused_without_showing_them(tmp_path, key):
    result = check(tmp_path, f'{key} = "https://client-id:{SECRET}@api.example/v0"\n')
    assert result.exit_code == 2 and f"{key}: must not carry credentials" in result.output
    assert SECRET not in result.output


@pytest.mark.parametrize("value", ["inf", "nan", "0", "-1", "1e9"])
def test_a_timeout_must_be_finite_and_positive(tmp_path, value):
    result = check(tmp_path, f"timeout = {value}\n")
    assert result.exit_code == 2 and "timeout:" in result.output, result.output


PRODUCTION = {"CROISSANT_ENVIRONMENT": "production", "CROISSANT_MERCHANT_ID": "m-1",
              "CROISSANT_CLIENT_ID": "id", "CROISSANT_CLIENT_SECRET": SECRET}


@pytest.mark.parametrize("url", ["http://127.0.0.1:8791/v0", "https://localhost:8443/v0", "http://api.example/v0", "https://[::1]/v0"])
def test_production_pages_never_get_a_loopback_or_plain_http_pricing_url(tmp_path, url):
    write_page(tmp_path / "site", "p/index.html", product_page("P1", "25.00"))
    before = (tmp_path / "site" / "p" / "index.html").read_bytes()
    result = CliRunner().invoke(main, ["build", str(tmp_path / "site")], env={**PRODUCTION, "CROISSANT_API_URL": url})
    assert result.exit_code == 2 and "production pages would fetch prices from it" in result.output
    assert (tmp_path / "site" / "p" / "index.html").read_bytes() == before


def test_a_custom_https_api_url_in_production_is_announced(tmp_path):
    result = check(tmp_path, "", env={**PRODUCTION, "CROISSANT_API_URL": "https://proxy.example/v0"})
    assert result.exit_code == 0, result.output
    assert "warning: environment 'production' uses the custom API URL https://proxy.example/v0" in result.output


def test_every_setting_has_its_environment_variable():
    from croissant_embed.settings import setting_variables
    from croissant_embed.settings.sources import FILE_KEYS

    covered = {key.split(".", 1)[0] for key in setting_variables().values()}
    assert covered == set(FILE_KEYS)
    assert setting_variables()["CROISSANT_PLACEMENT_SELECTOR"] == "placement.selector"


def test_table_list_and_number_settings_come_from_the_environment(tmp_path):
    from croissant_embed.settings import load_settings

    (tmp_path / "croissant.toml").write_text('[placement]\nposition = "before"\n[capture]\nname = "h1"\n', encoding="utf-8")
    settings = load_settings(cwd=tmp_path, env={
        "CROISSANT_PLACEMENT_SELECTOR": ".price-now", "CROISSANT_CAPTURE": '{ price = ".amount" }',
        "CROISSANT_INCLUDE": "shop/**/*.html, *.htm", "CROISSANT_EXCLUDE": '["drafts/**"]', "CROISSANT_MAX_DROP": "0.25",
        "CROISSANT_PAYLOAD_EXTRA": '{ channel = "static" }',
    })
    assert (settings.placement_selector, settings.placement_position) == (".price-now", "before")  # merged key by key
    assert dict(settings.capture) == {"name": "h1", "price": ".amount"}
    assert settings.include == ("shop/**/*.html", "*.htm") and settings.exclude == ("drafts/**",)
    assert settings.max_drop == 0.25 and dict(settings.payload.extra) == {"channel": "static"}


def test_a_malformed_or_secret_environment_table_is_refused(tmp_path):
    bad = CliRunner().invoke(main, ["check", "--offline"], env={"CROISSANT_CAPTURE": "{ price = "})
    assert bad.exit_code == 2 and "CROISSANT_CAPTURE: cannot be read as a TOML value" in bad.output
    secret = CliRunner().invoke(main, ["check", "--offline"], env={"CROISSANT_PAYLOAD_EXTRA": f'{{ api_token = "{SECRET}" }}'})
    assert secret.exit_code == 2 and "must not be in a file" in secret.output and SECRET not in secret.output
