"""`archive init` (issue 14): a new project that builds at once, whose pages, search page,
database and stylesheet follow its own title and entity kinds, and that names no subject of
the bundled archive."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from build_tools.cli import main
from build_tools.folding import page_slug
from build_tools.scaffold import FILES

TITLE = "The Smith v. Jones case file"
COURT = "type: court\nname: High Court\ndescription: Where the case is heard.\n"
JUDGE = "type: person\nname: Ann Judge\ndescription: The presiding judge.\n"
HEARING = """---
title: Hearing adjourned
date: 2023-05-02
source: Court News
tags:
  - hearings
stage:
  - Pre-trial
  - Motions
---
Ann Judge of the High Court adjourned the hearing until 9 May 2023.
"""


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_init_writes_a_project_and_refuses_to_overwrite_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run("init", "court", "--title", TITLE)
    assert code == 0, err
    assert out.splitlines() == [f"court/{rel}" for rel in FILES]
    assert err == "Wrote 10 files; next: cd court && make site\n"
    config = yaml.safe_load((tmp_path / "court/mkdocs.yml").read_text("utf-8"))
    assert config["site_name"] == TITLE
    assert config["plugins"] == [
        {
            "archive": {
                "archive": "archive",
                "title": TITLE,
                "description": "Source reports kept as published, cross-linked by person, place, "
                "organisation, event, source and day.",
            }
        }
    ]
    assert (tmp_path / "court/requirements.txt").read_text("utf-8").startswith("research-archive")
    readme = (tmp_path / "court/README.md").read_text("utf-8")
    assert readme.startswith(f"# {TITLE}\n") and "make site" in readme and "make check" in readme
    code, out, err = run("init", "court")
    assert (code, out) == (1, "")
    assert err == f"error: {Path('court/mkdocs.yml')} already exists; choose an empty folder\n"


def test_init_project_builds_at_once_and_checks_clean(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init", "empty")[0] == 0
    monkeypatch.chdir(tmp_path / "empty")
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    assert run("check") == (0, "", "0 errors, 0 warnings in 0 files\n")
    code, out, err = run("build")
    assert code == 0, err
    assert out.startswith("Built site/: ")
    assert (tmp_path / "empty/site/index.html").is_file()


def test_init_project_with_its_own_title_and_kind_shows_them_everywhere(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("init", "court", "--title", TITLE)[0] == 0
    project = tmp_path / "court"
    config_file = project / "mkdocs.yml"
    config = yaml.safe_load(config_file.read_text("utf-8"))
    config["plugins"][0]["archive"]["entity_kinds"] = {
        "person": None,
        "court": {"name": "Court", "plural": "Courts", "colour": "#884400"},
    }
    config["plugins"][0]["archive"]["groupings"] = {"stage": {"name": "Stage", "plural": "Stages"}}
    config_file.write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    (project / "archive/entities/high-court.yml").write_text(COURT, "utf-8")
    (project / "archive/entities/ann-judge.yml").write_text(JUDGE, "utf-8")
    (project / "archive/articles/2023/05").mkdir(parents=True)
    (project / "archive/articles/2023/05/hearing-adjourned.md").write_text(HEARING, "utf-8")
    monkeypatch.chdir(project)
    monkeypatch.setenv("ARCHIVE_CACHE_DIR", str(tmp_path / "cache"))
    assert run("check") == (0, "", "0 errors, 0 warnings in 3 files\n")
    code, out, err = run("build")
    assert code == 0, err
    site = project / "site"
    home = (site / "index.html").read_text("utf-8")
    assert f'<h1 id="the-smith-v-jones-case-file">{TITLE}' in home
    assert f"<title>{TITLE}</title>" in home
    assert '<a href="court-entities.html">courts</a>' in home
    tabs = home.split('class="md-tabs"')[1]  # the Browse tab lists the kinds and groupings
    assert 'href="court-entities.html"' in tabs and 'href="stage.html"' in tabs
    assert '<a href="stage.html">stage</a>' in home
    courts = (site / "court-entities.html").read_text("utf-8")
    assert '<h1 id="courts">Courts' in courts and "1 court in the registry." in courts
    article = (site / "articles/2023/05/hearing-adjourned.html").read_text("utf-8")
    assert "<strong>Courts:</strong>" in article
    pre_trial = page_slug("Pre-trial")  # 'pre-trial--' and a digest: a name with a hyphen
    assert (
        f'<dt>Stages</dt><dd><a href="../../../stage/{pre_trial}.html">Pre-trial</a>, '
        '<a href="../../../stage/motions.html">Motions</a></dd>'
    ) in article
    stages = (site / "stage.html").read_text("utf-8")
    assert '<h1 id="stages">Stages' in stages and "2 stages." in stages
    term = (site / f"stage/{pre_trial}.html").read_text("utf-8")
    assert "1 article with this stage." in term and "hearing-adjourned.html" in term
    assert 'class="ra-chip ra-chip--court" title="court: Where the case is heard."' in article
    search = (site / "search.html").read_text("utf-8")
    assert 'placeholder="A name (people, courts)"' in search
    assert (
        '<select id="ra-search-stage" name="stage" data-grouping><option value="">Any stage</option></select>'
    ) in search
    manifest = (site / "search/manifest.js").read_text("utf-8")
    assert '"groupings":[{"key":"stage","kind":"G0","rows":[["Motions",1,' in manifest
    css = (site / "assets/archive-kinds.css").read_text("utf-8")
    assert "--ra-kind-court: #884400;" in css
    assert "assets/archive-kinds.css" in home
    with sqlite3.connect(site / "archive.sqlite") as db:
        assert db.execute("SELECT id, plural FROM entity_kinds").fetchall() == [
            ("person", "People"),
            ("court", "Courts"),
        ]
        assert db.execute("SELECT type FROM entities WHERE id = 'high-court'").fetchone() == ("court",)
        assert db.execute("SELECT * FROM groupings").fetchall() == [("stage", "Stage", "Stages")]
        assert db.execute("SELECT grouping, term FROM article_terms").fetchall() == [
            ("stage", "Motions"),
            ("stage", "Pre-trial"),
        ]
    code, out, err = run("search", "--term", "stage=pre-trial")
    assert (code, err) == (0, "1 result\n") and "Hearing adjourned" in out
    code, out, err = run("search", "--term", "phase=x")
    assert code == 2 and "no grouping 'phase' in the archive (it has stage)" in err
    pages = [p for p in site.rglob("*") if p.suffix in (".html", ".js", ".css", ".xml")]
    assert pages and not [p for p in pages if "Ukraine" in p.read_text("utf-8")]
    (project / "archive/entities/kyiv.yml").write_text(
        "type: place\nname: Kyiv\ndescription: A city.\n", "utf-8"
    )
    code, out, _ = run("check")
    assert code == 1 and "use one of person, court" in out
