"""`archive entities suggest` and the suggestions `archive import` prints (issue 15): the names
the archive uses most that the registry lacks, with counts and an example line, and the
spellings that look like a registry entity."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner, Result

from build_tools.cli import main
from tests.conftest import article

ZELENSKYY = """\
type: person
name: Volodymyr Zelenskyy
aliases:
  - Zelenskyy
description: President of Ukraine.
"""

BODIES = [
    "Prime Minister Mikhail Mishustin met Volodymyr Zelenskyy's envoy. The Government agreed.",
    "Mikhail Mishustin spoke about the budget in Moscow. The government will decide.",
    "The talks ended, Mikhail Mishustin said. Dmitry Peskov was there.",
    "Wołodymyr Zelesnky spoke on Monday.",
]


def suggest(*args: str) -> Result:
    return CliRunner().invoke(main, ["entities", "suggest", *args])


def make(make_archive) -> Path:
    files = {
        f"articles/2022/03/a{i}.md": article(title=f"Item {i}", body=body) for i, body in enumerate(BODIES)
    }
    return make_archive({**files, "entities/volodymyr-zelenskyy.yml": ZELENSKYY})


def test_suggest_lists_a_name_missing_from_the_registry_with_its_count_and_first_sentence(
    make_archive,
) -> None:
    make(make_archive)
    result = suggest("--min-items", "2")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Names not in the registry, used in at least 2 articles (articles, first use):"
    assert lines[1] == "     3  Mikhail Mishustin"
    assert lines[2] == (
        "        archive/articles/2022/03/a0.md: "
        "Prime Minister Mikhail Mishustin met Volodymyr Zelenskyy's envoy."
    )


def test_suggest_leaves_out_registry_names_titles_and_words_also_written_in_lower_case(
    make_archive,
) -> None:
    make(make_archive)
    data = json.loads(suggest("--min-items", "1", "--json").output)
    shown = {item["name"] for item in data["new_names"]}
    assert "Mikhail Mishustin" in shown
    assert not shown & {"Dmitry Peskov", "Zelenskyy", "Prime Minister", "Government", "Moscow's"}


def test_suggest_names_the_entity_a_misspelt_or_transliterated_name_looks_like(make_archive) -> None:
    make(make_archive)
    output = suggest().output
    assert "Spellings that look like a registry entity (a misspelling, or an alias to add):" in output
    assert "     1  Wołodymyr Zelesnky -> volodymyr-zelenskyy? (Volodymyr Zelenskyy)" in output
    assert "archive/articles/2022/03/a3.md: Wołodymyr Zelesnky spoke on Monday." in output


def test_suggest_does_not_take_a_different_person_with_the_same_surname_for_an_entity(
    make_archive,
) -> None:
    make_archive(
        {
            "articles/2022/03/a.md": article(body="Mykola Kuleba, the ombudsman, spoke."),
            "entities/dmytro-kuleba.yml": "type: person\nname: Dmytro Kuleba\ndescription: Minister.\n",
        }
    )
    output = suggest("--min-items", "1").output
    assert "-> dmytro-kuleba?" not in output
    assert "     1  Mykola Kuleba" in output


def test_suggest_json_gives_counts_examples_and_look_alikes(make_archive) -> None:
    make(make_archive)
    result = suggest("--json", "--min-items", "2")
    data = json.loads(result.output)
    assert data["new_names"][0] == {
        "name": "Mikhail Mishustin",
        "items": 3,
        "example": "Prime Minister Mikhail Mishustin met Volodymyr Zelenskyy's envoy.",
        "where": "archive/articles/2022/03/a0.md",
    }
    assert [(x["spelling"], x["entity_id"]) for x in data["look_alikes"]] == [
        ("Wołodymyr Zelesnky", "volodymyr-zelenskyy")
    ]


def test_suggest_writes_nothing(make_archive, tmp_path: Path) -> None:
    make(make_archive)
    before = {p: p.read_bytes() for p in (tmp_path / "archive").rglob("*") if p.is_file()}
    suggest()
    after = {p: p.read_bytes() for p in (tmp_path / "archive").rglob("*") if p.is_file()}
    assert after == before


def test_bulk_import_prints_suggestions_for_the_names_it_brought_in(make_archive, tmp_path: Path) -> None:
    make_archive({"entities/volodymyr-zelenskyy.yml": ZELENSKYY})
    rows = [
        {"t": f"Item {i}", "d": "2022-03-29", "b": body, "u": f"https://example.org/{i}"}
        for i, body in enumerate(BODIES)
    ]
    data = tmp_path / "rows.jsonl"
    data.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["import", "--jsonl", str(data), "--columns", "title=t,date=d,body=b,url=u", "--source", "X"]
    )
    assert result.exit_code == 0, result.output
    assert (
        "Names not in the registry, used in at least 2 new articles (articles, first use):" in result.output
    )
    assert "     3  Mikhail Mishustin" in result.output
    assert "Wołodymyr Zelesnky -> volodymyr-zelenskyy? (Volodymyr Zelenskyy)" in result.output


def test_single_import_prints_the_spellings_that_look_like_a_registry_entity(
    make_archive, tmp_path: Path
) -> None:
    make_archive({"entities/volodymyr-zelenskyy.yml": ZELENSKYY})
    copy = tmp_path / "copy.txt"
    copy.write_text("Talks\n\nPresident Zelesnky spoke in Kyiv on Monday.\n", encoding="utf-8")
    result = CliRunner().invoke(
        main, ["import", str(copy), "--date", "2022-03-29", "--source", "X", "--title", "Talks"]
    )
    assert "spellings that look like a registry entity:" in result.output
    assert "  Zelesnky -> volodymyr-zelenskyy? (Zelenskyy)" in result.output
