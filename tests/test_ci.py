"""CI awareness: providers and preview builds are detected, and ``--sync`` decides whether a build syncs."""

from __future__ import annotations

import pytest

from croissant_embed.ci import detect, should_sync

from .conftest import invoke, puts
from .sites import copy_sample


@pytest.mark.parametrize(
    ("env", "provider", "preview"),
    [
        ({"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request"}, "github-actions", True),
        ({"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "push"}, "github-actions", False),
        ({"NETLIFY": "true", "CONTEXT": "deploy-preview"}, "netlify", True),
        ({"NETLIFY": "true", "CONTEXT": "production"}, "netlify", False),
        ({"GITLAB_CI": "true", "CI_MERGE_REQUEST_IID": "7"}, "gitlab-ci", True),
        ({"VERCEL": "1", "VERCEL_ENV": "preview"}, "vercel", True),
        ({"TRAVIS": "true", "TRAVIS_PULL_REQUEST": "false"}, "travis", False),
        ({"CI": "true"}, "generic", False),
        ({}, None, False),
    ],
)
def test_ci_providers_and_preview_builds_are_detected(env, provider, preview):
    context = detect(env)
    assert (context.provider, context.is_preview) == (provider, preview)
    assert should_sync("auto", context)[0] is not preview
    assert should_sync("always", context)[0] and not should_sync("never", context)[0]


def test_a_pull_request_build_injects_but_does_not_sync_unless_told_to(tmp_path):
    config = copy_sample(tmp_path)
    pr = {"GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": "pull_request"}
    result = invoke("build", "--config", str(config), env=pr)
    assert result.exit_code == 0 and "not syncing: a preview build on github-actions" in result.output
    assert f"nothing was sent (see the plan: {config.parent / '.croissant' / 'plan.json'})" in result.output
    assert puts(config) == 0
    assert b"<croissant-toggle-pdp" in (config.parent / "public" / "products" / "fjell-shell-jacket" / "index.html").read_bytes()
    forced = invoke("build", "--config", str(config), "--sync", "always", env=pr)
    assert forced.exit_code == 0 and puts(config) == 14
