"""The repository's GitHub Action (action.yml): parsed, and its run steps executed as a runner would (issue 14)."""

from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .conftest import CLEAN_CI
from .sites import JACKET, REPO, copy_sample, jacket_page
from .test_recipes import synced

ACTION = REPO / "action.yml"
BIN = str(Path(sys.executable).parent)
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def step(uses: str) -> dict:
    return next(s for s in action()["runs"]["steps"] if s.get("uses", "").startswith(uses + "@"))


@dataclass
class Run:
    """What running the action's steps left: each run step's process and outputs, and the pip calls."""

    processes: dict[str, subprocess.CompletedProcess] = field(default_factory=dict)
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    pip: list[str] = field(default_factory=list)

    def evaluate(self, text: str, inputs: dict[str, str]) -> str:
        """``text`` with its ``${{ inputs.x }}`` and ``${{ steps.id.outputs.x }}`` replaced, as the runner would."""

        def value(match: re.Match) -> str:
            parts = match.group(1).split(".")
            if parts[0] == "inputs" and len(parts) == 2:
                return inputs[parts[1]]
            if parts[0] == "steps" and len(parts) == 4 and parts[2] == "outputs":
                return self.outputs.get(parts[1], {}).get(parts[3], "")
            raise AssertionError(f"a run step uses an expression the test does not know: {match.group(0)}")

        return EXPRESSION.sub(value, text)

    @property
    def printed(self) -> str:
        return "".join(done.stdout + done.stderr for done in self.processes.values())


def run_action(workspace: Path, tmp_path: Path, *, event: str = "push", **given: str) -> Run:
    """Run the action's ``run`` steps in ``workspace`` with ``given`` inputs (the others at their defaults).

    Each step runs as the runner runs a composite step with ``shell: bash``: its script in a
    file, ``bash --noprofile --norc -eo pipefail``, a fresh ``$GITHUB_OUTPUT`` and the action's
    folder as ``$GITHUB_ACTION_PATH``; a failed step skips the rest. The ``uses`` steps
    (setup-python, cache, upload) are GitHub's own. The package is already installed in this
    interpreter, so ``pip`` is a stand-in that records what it was asked to install.
    """
    declared = action()["inputs"]
    assert set(given) <= set(declared), set(given) - set(declared)
    inputs = {name: str(spec.get("default", "")) for name, spec in declared.items()} | given
    assert importlib.util.find_spec("croissant_embed") is not None
    shims = tmp_path / "shims"
    shims.mkdir(exist_ok=True)
    pip_log = tmp_path / "pip.log"
    (shims / "pip").write_text('#!/bin/sh\nprintf "%s\\n" "$*" >> "$PIP_LOG"\n', encoding="utf-8")
    (shims / "pip").chmod(0o755)
    run = Run()
    for index, spec in enumerate(action()["runs"]["steps"]):
        if "run" not in spec:
            continue
        name = spec.get("id", str(index))
        script = tmp_path / f"step-{name}.sh"
        script.write_text(run.evaluate(spec["run"], inputs), encoding="utf-8")
        output = tmp_path / f"output-{name}"
        output.write_text("", encoding="utf-8")
        env = {
            **os.environ, **CLEAN_CI,
            "PATH": os.pathsep.join([str(shims), BIN, os.environ["PATH"]]), "PIP_LOG": str(pip_log),
            "GITHUB_ACTIONS": "true", "GITHUB_EVENT_NAME": event, "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_ACTION_PATH": str(REPO), "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "RUNNER_OS": "Linux",
            **{key: run.evaluate(str(value), inputs) for key, value in (spec.get("env") or {}).items()},
        }
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace, env=env,
                              capture_output=True, text=True, timeout=300)
        run.processes[name] = done
        run.outputs[name] = dict(line.split("=", 1) for line in output.read_text(encoding="utf-8").splitlines() if "=" in line)
        if done.returncode != 0:
            break
    run.pip = pip_log.read_text(encoding="utf-8").splitlines() if pip_log.exists() else []
    return run


def test_the_action_takes_its_settings_as_inputs_and_its_credentials_only_from_the_environment():
    spec = action()
    assert spec["runs"]["using"] == "composite"
    inputs = spec["inputs"]
    assert {"site", "config", "environment", "sync", "report", "report-html", "python-version", "version"} <= set(inputs)
    assert not [name for name in inputs if re.search(r"secret|client|token|password", name)]
    assert (inputs["sync"]["default"], inputs["report"]["default"], inputs["report-html"]["default"]) == (
        "auto", "croissant-report.json", "croissant-report.html")
    for step_spec in spec["runs"]["steps"]:
        if "run" in step_spec:  # inputs reach scripts through env, so a value never runs as shell code
            assert step_spec["shell"] == "bash" and "${{" not in step_spec["run"], step_spec
    assert step("actions/setup-python")["with"]["python-version"] == "${{ inputs.python-version }}"
    cache = step("actions/cache")  # keyed on the runner and the config, restored to where the build keeps its state
    assert "${{ runner.os }}" in cache["with"]["key"] and "${{ steps.state.outputs.config-hash }}" in cache["with"]["key"]
    upload = step("actions/upload-artifact")
    assert upload["if"].startswith("always()")
    assert upload["with"]["path"].splitlines() == ["${{ inputs.report }}", "${{ inputs.report-html }}"]
    assert spec["outputs"]["exit-code"]["value"] == "${{ steps.build.outputs.exit-code }}"


def test_the_actions_steps_install_the_action_build_the_store_and_keep_its_state_where_the_cache_saves_it(tmp_path):
    config = copy_sample(tmp_path)  # tmp_path/store/croissant.toml: the config is not at the workspace's root
    run = run_action(tmp_path, tmp_path, site="store/public", config="store/croissant.toml")
    assert all(done.returncode == 0 for done in run.processes.values()), run.printed
    assert run.pip == [f"install --disable-pip-version-check {REPO}"]  # the action's own checkout
    assert run.outputs["build"]["exit-code"] == "0"
    report = json.loads((tmp_path / "croissant-report.json").read_text(encoding="utf-8"))
    assert report["kind"] == "croissant-embed-report" and report["totals"]["result_synced"] == 14
    assert "<croissant-toggle-pdp" in jacket_page(config).read_text(encoding="utf-8")
    assert JACKET in synced(config.parent) and len(synced(config.parent)) == 14
    cache = run.evaluate(step("actions/cache")["with"]["path"], {})
    assert (tmp_path / cache).resolve() == config.parent / ".croissant" and (tmp_path / cache / "state.json").is_file()
    assert run.outputs["state"]["config-hash"] != "none"
    assert (tmp_path / "croissant-report.html").is_file() and run.outputs["build"]["report-html"] == "croissant-report.html"


def test_with_a_release_that_has_no_html_report_the_step_builds_without_one(tmp_path):
    config = copy_sample(tmp_path)
    shims = tmp_path / "shims"  # run_action puts them first on PATH: this croissant-embed is one from before --report-html
    shims.mkdir()
    (shims / "croissant-embed").write_text(
        '#!/bin/bash\nfor arg in "$@"; do [ "$arg" = --report-html ] && { echo "Error: No such option: $arg" >&2; exit 2; }; done\n'
        f'if [ "${{!#}}" = --help ]; then {BIN}/croissant-embed "$@" | grep -v -- --report-html; exit; fi\n'
        f'exec {BIN}/croissant-embed "$@"\n', encoding="utf-8")
    (shims / "croissant-embed").chmod(0o755)
    run = run_action(config.parent, tmp_path)
    assert run.processes["build"].returncode == 0, run.printed
    assert "no --report-html" in run.printed and run.outputs["build"]["report-html"] == ""
    assert (config.parent / "croissant-report.json").is_file() and not (config.parent / "croissant-report.html").exists()


def test_the_sync_and_version_inputs_reach_pip_and_the_build(tmp_path):
    config = copy_sample(tmp_path)
    run = run_action(config.parent, tmp_path, sync="never", version="0.1.0", report="")
    assert all(done.returncode == 0 for done in run.processes.values()), run.printed
    assert run.pip == ["install --disable-pip-version-check croissant-embed==0.1.0"]
    assert "<croissant-toggle-pdp" in jacket_page(config).read_text(encoding="utf-8")
    assert synced(config.parent) == set() and not (config.parent / "croissant-report.json").exists()
    assert run.evaluate(step("actions/cache")["with"]["path"], {}) == ".croissant"  # the config's default place


def test_a_failing_build_fails_the_step_and_gives_its_exit_code(tmp_path):
    config = copy_sample(tmp_path)
    run = run_action(config.parent, tmp_path, environment="production")  # and no credentials in the environment
    assert run.processes["build"].returncode == 2 and run.outputs["build"]["exit-code"] == "2"
    assert "CROISSANT_CLIENT_ID" in run.printed and "Traceback" not in run.printed
    assert "<croissant-toggle-pdp" not in jacket_page(config).read_text(encoding="utf-8")
