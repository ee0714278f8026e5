"""CI that speaks CI (issue 14): a GitHub step summary and annotations, a GitLab section, and failures
grouped by cause (an unreachable API is one line, not one per product)."""

from __future__ import annotations

import socket
from pathlib import Path

from .conftest import invoke
from .sites import copy_sample

INVALID_PAGE = "public/products/thermos-flask/index.html"  # the sample's flask has no price: invalid, tolerated


def closed_port_url() -> str:
    """An API URL on a loopback port nothing listens on (connections are refused at once)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/v0"


def unreachable(tmp_path: Path) -> tuple[Path, dict[str, str], str]:
    config = copy_sample(tmp_path)
    url = closed_port_url()
    return config, {"CROISSANT_API_URL": url, "CROISSANT_CLIENT_ID": "id", "CROISSANT_CLIENT_SECRET": "s3cret-value-9",
                    "CROISSANT_RETRIES": "1"}, url


def test_an_unreachable_api_is_one_line_with_its_address_a_count_and_examples(tmp_path):
    config, env, url = unreachable(tmp_path)
    result = invoke("build", "--config", str(config), env=env)
    assert result.exit_code == 1, result.output
    failed = [line for line in result.output.splitlines() if line.startswith("failed:")]
    assert len(failed) == 1, result.output
    assert failed[0].startswith(f"failed: cannot reach the API at {url}: ")
    assert "14 products not synced, e.g. " in failed[0] and failed[0].endswith(" ...")
    assert "s3cret-value-9" not in result.output


def test_under_github_actions_the_build_writes_a_step_summary_and_annotates_the_pages(tmp_path):
    config, env, url = unreachable(tmp_path)
    summary = tmp_path / "step-summary.md"
    summary.write_text("earlier step\n", encoding="utf-8")
    github = {**env, "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_STEP_SUMMARY": str(summary)}
    result = invoke("build", "--config", str(config), env=github, cwd=config.parent)
    assert result.exit_code == 1, result.output
    text = summary.read_text("utf-8")
    assert text.startswith("earlier step\n### croissant-embed: some products failed to sync")  # appended, never replaced
    assert "| pages | 22 (" in text and "| sync | 0 synced, 14 failed |" in text
    assert f"- cannot reach the API at {url}: " in text and "14 products not synced" in text
    assert "| products/thermos-flask/index.html | invalid | AN-OUT-003 | price: no price found" in text
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert f"::error file={INVALID_PAGE},title=croissant-embed%3A invalid product AN-OUT-003::price%3A" not in annotations  # data is not property-escaped
    assert any(line.startswith(f"::error file={INVALID_PAGE},title=croissant-embed%3A invalid product AN-OUT-003::price: no price found")
               for line in annotations), annotations
    failed = [line for line in annotations if "not synced::cannot reach the API" in line]
    assert len(failed) == 14 and all(line.startswith("::error file=public/products/") for line in failed)
    assert "s3cret-value-9" not in text and "s3cret-value-9" not in result.output


def test_a_successful_github_build_summarises_and_annotates_only_the_tolerated_invalid_page(tmp_path):
    config = copy_sample(tmp_path)
    summary = tmp_path / "step-summary.md"
    github = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push", "GITHUB_STEP_SUMMARY": str(summary)}
    result = invoke("build", "--config", str(config), env=github, cwd=config.parent)
    assert result.exit_code == 0, result.output
    text = summary.read_text("utf-8")
    assert text.startswith("### croissant-embed: synced") and "| sync | 14 synced, 0 failed |" in text
    [annotation] = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotation.startswith(f"::error file={INVALID_PAGE},title=croissant-embed%3A invalid product AN-OUT-003::price: no price found")


def test_under_gitlab_the_warnings_are_folded_into_a_collapsed_section(tmp_path):
    config = copy_sample(tmp_path)
    result = invoke("build", "--config", str(config), env={"GITLAB_CI": "true"})
    assert result.exit_code == 0, result.output
    lines = result.output.split("\n")  # the section lines hold a carriage return of their own
    start = next(i for i, line in enumerate(lines) if "section_start:" in line)
    end = next(i for i, line in enumerate(lines) if "section_end:" in line)
    assert "croissant_embed_warnings[collapsed=true]" in lines[start] and "warnings" in lines[start]
    assert start < end and all(line.startswith("warning: ") for line in lines[start + 1:end])
    assert "croissant-embed: 1 warning\r" in lines[start] or "croissant-embed: 1 warning" in lines[start]
    plain = invoke("build", "--config", str(config))
    assert "section_start" not in plain.output and "warning: " in plain.output
