"""Which CI provider runs the build, and whether this is a pull-request or preview build.

``--sync auto`` (the default) injects pages but does not sync on pull-request and preview
builds, so a branch can never overwrite the catalogue of the production store.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Mapping


@dataclass(frozen=True)
class CIContext:
    """The CI provider (or None) and why the build counts as a preview (or None)."""

    provider: str | None
    preview_reason: str | None = None
    step_summary: str | None = None
    """GitHub Actions' ``GITHUB_STEP_SUMMARY``: the file a job's Markdown summary is appended to."""

    @property
    def is_preview(self) -> bool:
        """Whether this build is for a pull request, merge request or preview deploy."""
        return self.preview_reason is not None


def _set(env: Mapping[str, str], name: str) -> bool:
    return bool(env.get(name, "").strip())


def _pr(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "").strip().lower()
    return bool(value) and value != "false"


_PROVIDERS: list[tuple[str, str, Callable[[Mapping[str, str]], str | None]]] = [
    ("github-actions", "GITHUB_ACTIONS", lambda e: f"GITHUB_EVENT_NAME={e['GITHUB_EVENT_NAME']}" if e.get("GITHUB_EVENT_NAME") in ("pull_request", "pull_request_target") else None),
    ("gitlab-ci", "GITLAB_CI", lambda e: "CI_MERGE_REQUEST_IID is set" if _set(e, "CI_MERGE_REQUEST_IID") else None),
    ("netlify", "NETLIFY", lambda e: f"CONTEXT={e['CONTEXT']}" if e.get("CONTEXT") in ("deploy-preview", "branch-deploy") else None),
    ("vercel", "VERCEL", lambda e: "VERCEL_ENV=preview" if e.get("VERCEL_ENV") == "preview" else None),
    ("cloudflare-pages", "CF_PAGES", lambda e: f"CF_PAGES_BRANCH={e.get('CF_PAGES_BRANCH')}" if e.get("CF_PAGES_BRANCH") not in (None, "", "main", "master", "production") else None),
    ("circleci", "CIRCLECI", lambda e: "CIRCLE_PULL_REQUEST is set" if _set(e, "CIRCLE_PULL_REQUEST") else None),
    ("buildkite", "BUILDKITE", lambda e: "BUILDKITE_PULL_REQUEST is set" if _pr(e, "BUILDKITE_PULL_REQUEST") else None),
    ("travis", "TRAVIS", lambda e: "TRAVIS_PULL_REQUEST is set" if _pr(e, "TRAVIS_PULL_REQUEST") else None),
    ("bitbucket", "BITBUCKET_BUILD_NUMBER", lambda e: "BITBUCKET_PR_ID is set" if _set(e, "BITBUCKET_PR_ID") else None),
    ("azure-pipelines", "TF_BUILD", lambda e: "SYSTEM_PULLREQUEST_PULLREQUESTID is set" if _set(e, "SYSTEM_PULLREQUEST_PULLREQUESTID") else None),
    ("jenkins", "JENKINS_URL", lambda e: "CHANGE_ID is set" if _set(e, "CHANGE_ID") else None),
]


def detect(env: Mapping[str, str]) -> CIContext:
    """The CI context from environment variables."""
    for name, marker, preview in _PROVIDERS:
        if _set(env, marker):
            return CIContext(name, preview(env), (env.get("GITHUB_STEP_SUMMARY") or "").strip() or None if name == "github-actions" else None)
    if env.get("CI", "").strip().lower() in ("true", "1", "yes"):
        return CIContext("generic")
    return CIContext(None)


def should_sync(mode: str, context: CIContext) -> tuple[bool, str]:
    """Whether to sync under ``--sync MODE`` (always, never, auto), and why."""
    if mode == "always":
        return True, "--sync always"
    if mode == "never":
        return False, "--sync never"
    if context.is_preview:
        return False, f"a preview build on {context.provider} ({context.preview_reason}); pass --sync always to sync anyway"
    return True, "not a preview build"
