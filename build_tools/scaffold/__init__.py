"""`archive init`: a new, empty archive project that builds at once, with its own title and no
subject of another archive in it. The files it writes are the templates in this folder."""

from __future__ import annotations

import json
from importlib import metadata
from pathlib import Path

from ..files import write_atomic
from ..settings import DEFAULT_DESCRIPTION, SettingsError, settings_from_options

HERE = Path(__file__).parent
PACKAGE = "research-archive"
# file in the new project -> template here (".tmpl" ones are filled in)
FILES = {
    "mkdocs.yml": "mkdocs.yml.tmpl",
    "README.md": "README.md.tmpl",
    "Makefile": "Makefile.tmpl",
    "requirements.txt": None,
    ".gitignore": "gitignore",
    "docs/about.md": "about.md.tmpl",
    "archive/articles/.gitkeep": None,
    "archive/entities/.gitkeep": None,
    ".github/workflows/check.yml": "check.yml",
    ".github/PULL_REQUEST_TEMPLATE.md": "pull_request_template.md",
}


class InitError(Exception):
    """The project cannot be written; the message says why."""


def generator_requirement() -> str:
    """How the new project installs this generator: as it was installed here (a git or local
    address, pinned to its commit when git gives one), else by name and version."""
    version = metadata.version(PACKAGE)
    try:
        direct = json.loads(metadata.distribution(PACKAGE).read_text("direct_url.json") or "null")
    except (OSError, ValueError):
        direct = None
    if isinstance(direct, dict) and isinstance(direct.get("url"), str):
        vcs = direct.get("vcs_info")
        if isinstance(vcs, dict) and vcs.get("vcs") == "git":
            commit = vcs.get("commit_id") or vcs.get("requested_revision")
            return f"{PACKAGE} @ git+{direct['url']}" + (f"@{commit}" if commit else "")
        return f"{PACKAGE} @ {direct['url']}"
    return f"{PACKAGE}=={version}"


def init_project(folder: Path, title: str) -> list[Path]:
    """Write a new project into `folder` (created if missing; it must hold none of the files
    written). Returns the files written, in order."""
    try:
        settings_from_options({"title": title})
    except SettingsError as exc:
        raise InitError(f"the {exc}") from None
    folder = Path(folder)
    taken = [rel for rel in FILES if (folder / rel).exists()]
    if taken:
        raise InitError(f"{folder / taken[0]} already exists; choose an empty folder")
    title = " ".join(title.split())
    requirement = generator_requirement()
    quoted = json.dumps(title, ensure_ascii=False)  # a JSON string is a YAML scalar
    values = {
        "title": quoted,
        "site_name": quoted,
        "description": json.dumps(DEFAULT_DESCRIPTION),
        "generator": requirement,
    }
    written = []
    for rel, template in FILES.items():
        if template is None:
            text = f"{requirement}\n" if rel == "requirements.txt" else ""
        else:
            text = (HERE / template).read_text("utf-8")
            if template.endswith(".tmpl"):
                shown = dict(values, title=title) if not rel.endswith(".yml") else values
                text = text.format(**shown)
        path = folder / rel
        write_atomic(path, text, overwrite=False)
        written.append(path)
    return written
