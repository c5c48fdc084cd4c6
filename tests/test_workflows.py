"""The files under .github/: valid YAML, valid against GitHub's own schemas, and doing what the
project needs (check, strict build and tests on pull requests; Pages deployment from main).

Schemas: the GitHub workflow, issue-form and issue-config schemas that check-jsonschema ships
(offline, no download).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
GITHUB = REPO / ".github"
WORKFLOWS = sorted((GITHUB / "workflows").glob("*.yml"))
ISSUE_FORMS = sorted(p for p in (GITHUB / "ISSUE_TEMPLATE").glob("*.yml") if p.name != "config.yml")
PINNED = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@v\d+$")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(data, dict), f"{path} is not a YAML mapping"
    return data


def triggers(workflow: dict[str, Any]) -> dict[str, Any]:
    """The `on:` mapping (YAML 1.1 reads a bare `on` key as true)."""
    on = workflow.get("on", workflow.get(True))
    if isinstance(on, str):
        return {on: None}
    if isinstance(on, list):
        return dict.fromkeys(on)
    assert isinstance(on, dict), on
    return on


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def step_using(workflow: dict[str, Any], action: str) -> dict[str, Any]:
    found = [s for s in steps(workflow) if str(s.get("uses", "")).split("@")[0] == action]
    assert len(found) == 1, f"expected one step using {action}, found {len(found)}"
    return found[0]


def run_scripts(workflow: dict[str, Any]) -> str:
    return "\n".join(str(s["run"]) for s in steps(workflow) if "run" in s)


def check_jsonschema(schema: str, paths: list[Path]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=REPO,
    )


def test_workflows_every_github_file_parses() -> None:
    files = sorted(p for p in GITHUB.rglob("*") if p.is_file())
    assert {p.relative_to(GITHUB).as_posix() for p in files} >= {
        "workflows/check.yml",
        "workflows/deploy.yml",
        "PULL_REQUEST_TEMPLATE.md",
        "ISSUE_TEMPLATE/propose-article.yml",
        "ISSUE_TEMPLATE/config.yml",
    }
    for path in files:
        if path.suffix in (".yml", ".yaml"):
            load(path)
        else:  # Markdown templates are not YAML; they must at least be readable text
            assert path.suffix == ".md", path
            assert path.read_text("utf-8").strip(), path


@pytest.mark.parametrize(
    "schema, paths",
    [
        ("vendor.github-workflows", WORKFLOWS),
        ("vendor.github-issue-forms", ISSUE_FORMS),
        ("vendor.github-issue-config", [GITHUB / "ISSUE_TEMPLATE" / "config.yml"]),
    ],
    ids=["workflows", "issue-forms", "issue-config"],
)
def test_workflows_match_githubs_schemas(schema: str, paths: list[Path]) -> None:
    assert paths
    done = check_jsonschema(schema, paths)
    assert done.returncode == 0, done.stdout + done.stderr


def test_workflows_schema_check_rejects_a_broken_workflow(tmp_path: Path) -> None:
    """The schema check is no rubber stamp: a job without runs-on, a step with both uses and
    run, fails it."""
    broken = tmp_path / "broken.yml"
    broken.write_text("on: push\njobs:\n  a:\n    steps:\n      - run: make\n        uses: x/y@v1\n")
    done = check_jsonschema("vendor.github-workflows", [broken])
    assert done.returncode == 1
    assert "runs-on" in done.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_workflows_have_jobs_of_steps_pinned_to_major_versions(path: Path) -> None:
    workflow = load(path)
    assert triggers(workflow)
    assert workflow["jobs"]
    for name, job in workflow["jobs"].items():
        assert "runs-on" in job, name
        assert job["steps"], name
        for step in job["steps"]:
            assert ("uses" in step) != ("run" in step), step
            if "uses" in step:
                assert PINNED.match(step["uses"]), f"{step['uses']}: pin to a major version (@v4)"


def test_workflows_check_runs_check_strict_build_and_tests_on_pull_requests() -> None:
    workflow = load(GITHUB / "workflows" / "check.yml")
    assert "pull_request" in triggers(workflow)
    checkout = step_using(workflow, "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0
    assert str(step_using(workflow, "actions/setup-python")["with"]["python-version"]) == "3.11"
    script = run_scripts(workflow)
    order = [
        script.index(command)
        for command in (
            "scripts/setup.sh",
            ".venv/bin/archive check --format github",
            ".venv/bin/archive build",
            "make test",
        )
    ]
    assert order == sorted(order)
    assert "--no-strict" not in script


def test_workflows_check_step_runs_here() -> None:
    """The check step's own script, run as GitHub runs it (bash -e, pipefail), on the
    bundled archive: it passes and prints annotations only for problems (there is no
    origin/main here, so it checks the whole archive)."""
    workflow = load(GITHUB / "workflows" / "check.yml")
    step = next(s for s in steps(workflow) if "archive check" in str(s.get("run", "")))
    env = {
        **os.environ,
        **step.get("env", {}),
        "BASE_REF": "main",
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    venv = REPO / ".venv" / "bin" / "archive"
    if not venv.exists():
        pytest.skip("no .venv/bin/archive here (the step runs after scripts/setup.sh)")
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", step["run"]],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert all(line.startswith(("::error ", "::warning ")) for line in done.stdout.splitlines())
    assert re.search(r"\d+ errors?, \d+ warnings? in [\d,]+ files?", done.stderr)


def bounded_function(step_name: str) -> str:
    """The `bounded` shell function as the named step of check.yml defines it."""
    workflow = load(GITHUB / "workflows" / "check.yml")
    script = next(s["run"] for s in steps(workflow) if s.get("name") == step_name)
    start = script.index("bounded() {")
    return script[start : script.index("\n}\n", start) + 3].replace("\n  ", "\n")


@pytest.mark.parametrize("step", ["Check the archive", "Build the site (strict)"])
@pytest.mark.parametrize(
    "command, status",
    [
        ("sleep 30", 124),  # past the time bound (0.02 minutes here)
        (f"{sys.executable} -c 'bytearray(5 << 30)'", 1),  # past the memory bound: MemoryError
    ],
)
def test_workflows_bound_fails_a_runaway_step_with_an_annotation(
    step: str, command: str, status: int
) -> None:
    """A hostile pull request fails the step with an annotation instead of exhausting the
    runner: the step's own `bounded` function, run on a command that takes too long or too
    much memory."""
    script = bounded_function(step) + f"bounded 0.02 {command}\n"
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == status
    assert done.stdout.startswith("::error title=Bound exceeded::"), done.stdout + done.stderr


def test_workflows_bound_lets_a_command_within_it_pass_quietly() -> None:
    script = bounded_function("Check the archive") + "bounded 1 echo fine\n"
    done = subprocess.run(
        ["bash", "-eo", "pipefail", "-c", script], capture_output=True, text=True, timeout=60
    )
    assert (done.returncode, done.stdout) == (0, "fine\n")


def test_workflows_deploy_publishes_main_to_pages() -> None:
    workflow = load(GITHUB / "workflows" / "deploy.yml")
    on = triggers(workflow)
    assert on["push"]["branches"] == ["main"]
    assert workflow["permissions"]["pages"] == "write"
    assert workflow["permissions"]["id-token"] == "write"
    assert workflow["concurrency"]["group"] == "pages"
    step_using(workflow, "actions/configure-pages")
    assert step_using(workflow, "actions/upload-pages-artifact")["with"]["path"] == "site"
    step_using(workflow, "actions/deploy-pages")
    assert ".venv/bin/archive build" in run_scripts(workflow)
    # Pages' own address: canonical links, a full sitemap, absolute links in feeds and citations
    assert '--site-url "$SITE_URL/"' in run_scripts(workflow)
    deploy_job = next(
        job
        for job in workflow["jobs"].values()
        if any(str(s.get("uses", "")).startswith("actions/deploy-pages@") for s in job["steps"])
    )
    assert deploy_job["environment"]["name"] == "github-pages"


def test_workflows_issue_form_asks_for_what_an_article_needs() -> None:
    form = load(GITHUB / "ISSUE_TEMPLATE" / "propose-article.yml")
    fields = {item["id"]: item for item in form["body"] if "id" in item}
    assert set(fields) == {"url", "title", "publisher", "date", "why", "rights"}
    required = {key for key, item in fields.items() if item.get("validations", {}).get("required")}
    assert required == {"url", "title", "publisher", "date", "why"}


def test_workflows_pull_request_template_is_an_article_checklist() -> None:
    text = (GITHUB / "PULL_REQUEST_TEMPLATE.md").read_text("utf-8")
    boxes = re.findall(r"^- \[ \] (.+)$", text, re.M)
    assert len(boxes) >= 5
    for words in ("archive/articles/YYYY/MM/<slug>.md", "`source`", "`url`", "`entities`", "check"):
        assert words in text, words
