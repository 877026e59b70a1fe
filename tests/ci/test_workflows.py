"""CI workflows: valid for actionlint, and safe for code arriving from pull requests."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from hooks import PROJECT_ROOT

WORKFLOWS = sorted((PROJECT_ROOT / ".github" / "workflows").glob("*.yml"))


def _actionlint() -> str:
    local = Path(sys.executable).parent / "actionlint"
    found = str(local) if local.exists() else shutil.which("actionlint")
    assert found, "actionlint missing: make setup installs it from requirements.lock"
    return found


def _on(workflow: dict) -> dict:
    # YAML 1.1 reads the key `on` as True.
    on = workflow.get("on", workflow.get(True))
    return on if isinstance(on, dict) else {name: None for name in on}


def test_ci_and_deploy_workflows_exist() -> None:
    names = {p.name for p in WORKFLOWS}
    assert {"ci.yml", "deploy.yml"} <= names


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_actionlint_passes(path: Path) -> None:
    proc = subprocess.run(
        [_actionlint(), "-no-color", str(path)], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflow_is_read_only_and_never_pull_request_target(path: Path) -> None:
    text = path.read_text()
    workflow = yaml.safe_load(text)
    assert "pull_request_target" not in _on(workflow)
    assert workflow["permissions"] == {"contents": "read"}


def test_ci_runs_exactly_the_ci_script() -> None:
    workflow = yaml.safe_load((PROJECT_ROOT / ".github/workflows/ci.yml").read_text())
    assert "pull_request" in _on(workflow)
    steps = [s.get("run", "") for job in workflow["jobs"].values() for s in job["steps"]]
    assert any(".ci/run" in run for run in steps)
    assert "make test" in (PROJECT_ROOT / ".ci" / "run").read_text()


def test_deploy_only_from_main_after_a_strict_build() -> None:
    workflow = yaml.safe_load((PROJECT_ROOT / ".github/workflows/deploy.yml").read_text())
    assert _on(workflow)["push"]["branches"] == ["main"]
    assert "pull_request" not in _on(workflow)
    for job in workflow["jobs"].values():
        assert job["if"] == "github.ref == 'refs/heads/main'"
    build_steps = " ".join(s.get("run", "") for s in workflow["jobs"]["build"]["steps"])
    assert "make build" in build_steps
    assert "mkdocs build --strict" in (PROJECT_ROOT / "Makefile").read_text()


def _steps(name: str, job: str) -> list[dict]:
    workflow = yaml.safe_load((PROJECT_ROOT / ".github/workflows" / name).read_text())
    return workflow["jobs"][job]["steps"]


@pytest.mark.parametrize(("name", "job"), [("ci.yml", "test"), ("deploy.yml", "build")])
def test_build_cache_is_keyed_by_tools_lock_and_hooks_and_restored_before_the_build(
    name: str, job: str
) -> None:
    steps = _steps(name, job)
    uses = [s.get("uses", "") for s in steps]
    cache_at = next(i for i, u in enumerate(uses) if u.startswith("actions/cache"))
    build_at = next(i for i, s in enumerate(steps) if "make build" in s.get("run", ""))
    assert cache_at < build_at
    cache = steps[cache_at]["with"]
    assert cache["path"] == ".cache"
    key = cache["key"]
    for part in ("steps.tools.outputs.key", "'requirements.lock'", "'hooks/**'", "runner.os"):
        assert part in key
    # a restore key may drop only the commit: tools, lock and hooks must match exactly
    assert cache["restore-keys"].strip() == key.rsplit("${{ github.sha }}", 1)[0]


def test_ci_annotates_from_the_real_build_only_and_uploads_the_site() -> None:
    steps = _steps("ci.yml", "test")
    build = next(s for s in steps if "make build" in s.get("run", ""))
    assert "GITHUB_ACTIONS,GITHUB_STEP_SUMMARY" in build["run"]
    # the suite builds broken sites on purpose: their problems must not become annotations
    suite = next(s for s in steps if ".ci/run" in s.get("run", ""))
    assert "GITHUB_ACTIONS" not in suite["run"]
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["with"]["path"] == "site" and upload["if"] == "always()"


def test_e2e_runs_weekly_on_main_and_only_its_rot_report_may_write() -> None:
    workflow = yaml.safe_load((PROJECT_ROOT / ".github/workflows/e2e.yml").read_text())
    on = _on(workflow)
    assert "pull_request" in on and on["schedule"][0]["cron"].split()[2:] == ["*", "*", "1"]
    versions = next(
        s for s in workflow["jobs"]["snippets"]["steps"] if s.get("name", "").startswith("Versions")
    )
    assert "schedule" in versions["if"] and "KIND_VERSION=" in versions["run"]
    writers = {
        name: job["permissions"] for name, job in workflow["jobs"].items() if "permissions" in job
    }
    assert writers == {"report-rot": {"issues": "write"}}
    assert workflow["jobs"]["report-rot"]["if"] == "failure() && github.event_name == 'schedule'"
