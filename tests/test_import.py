"""`archive import`: saved copies (plain text, HTML) -> archive files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from build_tools import importing
from build_tools.check import check_archive
from build_tools.cli import importing as import_command_module
from build_tools.cli import main
from build_tools.folding import slugify
from build_tools.model import Entity
from build_tools.problems import Source
from tests.conftest import article

FIXTURES = Path(__file__).parent / "fixtures" / "import"
SEED = FIXTURES / "seed.txt"
PAGE = FIXTURES / "page.html"

SEED_TITLE = "Russia says no breakthrough at Istanbul peace talks with Ukraine"
SEED_PATH = "archive/articles/2022/03/russia-says-no-breakthrough-at-istanbul-peace-talks.md"

SEED_PARAGRAPHS = [
    "Russia poured cold water on the outcome of peace talks with Ukraine on Wednesday, saying there were no breakthroughs at the meeting in Turkey.",
    "Tuesday’s talks in Istanbul were the most significant to date, Turkey’s foreign ministry said. Ukrainian negotiators proposed accepting neutral status and floated Canada as a potential security guarantor under an agreement.",
    "Russia said it would drastically cut its military activity focused on Kyiv and Chernihiv, and would review the proposals. The Kremlin’s spokesperson addressed the outcome of the talks on Wednesday.",
    "Here’s a round-up of what’s happening.",
    "While acknowledging it was a “positive factor” that Ukraine submitted written proposals, Kremlin spokesman Dmitry Peskov said there doesn’t appear to be an immediate path to peace.",
    "“We can’t say there has been something promising or any breakthroughs,” he said in a call with reporters, emphasizing there is still a lot of work ahead following the talks.",
    "Peskov said Russia’s chief negotiator, Vladimir Medinsky, has reported Ukraine’s proposals to President Vladimir Putin.",
    "In an overnight address, Ukraine President Volodymyr Zelenskyy said he took nothing Moscow said at the talks at face value.",
    "“Ukrainians are not naive people,” he said. “Ukrainians have already learned during these 34 days of invasion, and over the past eight years of the war in Donbas, that the only thing they can trust is a concrete result.”",
    "Medinsky said on Russia TV later on Wednesday that Ukraine had said in writing it was willing to give up its ambition of joining NATO, adopt “non-bloc” status, renounce nuclear and other weapons of mass destruction and commit not to host foreign troops or military bases on its soil.",
    "He added Ukraine had agreed not to conduct military exercises with foreign armies except by agreement with state guarantors, including Russia.",
    "“This is the essence, meaning and importance of the document preliminarily agreed upon at a … high level by Ukraine. However, work continues, negotiations continue,” he said.",
    "However, Medinsky added Moscow’s position on the Donbas region and annexed Crimea remained unchanged, and that is a major sticking point for Ukraine, which said it will not make any concessions on its territorial integrity.",
    "Ukrainian negotiator Mykhailo Podolyak said on Wednesday he felt optimistic after the talks with Russia in Istanbul.",
    "He said a proposed system of security guarantees for Ukraine, which would be offered in exchange for its neutrality, would be put to a national referendum only after Russian troops withdrew to positions they held before invading Ukraine on Feb. 24.",
    "A day after promising to scale back its operations around Kyiv and northern Ukraine, officials said Russia continued shelling around the capital on Wednesday.",
    "Over the past 24 hours, there were 30 Russian shellings of residential areas and civilian infrastructure in regions around Kyiv, said Oleksandr Pavliuk, the head of the Kyiv region military administration.",
    "In Chernihiv, the other area where Russia had promised to scale back its operations, the bombardment only intensified over the past day, said Mayor Vladyslav Astroshenko.",
    "“This is yet another confirmation that Russia always lies,” he told CNN in an interview. “They actually have increased the intensity of strikes,” with “a colossal mortar attack in the centre of Chernihiv.”",
    "The ongoing barrage in the southern Ukrainian city of Mariupol has likely resulted in the deaths of thousands of civilians, the head of the UN human rights mission has told Reuters.",
    "Almost 5,000 people, including about 210 children, have been killed in Mariupol since Russian forces laid siege to it a month ago, a spokesperson for Mayor Vadym Boichenko said on Monday. It was not immediately clear how the UN arrived at that number.",
    "“We do think that there could be thousands of deaths, of civilian casualties, in Mariupol,” Matilda Bogner, head of the UN human rights mission in Ukraine, told Reuters.",
    "Last week, Bogner said the UN received more information about mass graves in Mariupol, including one that appeared to hold 200 bodies. The agency is now calling them “improvised graves,” Reuters reported because the term “mass graves” may imply victims of a crime.",
    "People have died in Mariupol from a range of causes, Bogner said, adding civilian casualties from the conflict were believed to be a “fairly small portion” of bodies in the improvised graves in parks and gardens.",
    "While the fighting continues, an adviser to Ukraine’s president said Russia has redeployed some of its forces to the country’s east.",
    "Moscow has moved its troops to try and encircle the Ukrainian forces there, said Oleksiy Arestovych, adding Russia left some of its forces near Kyiv to tie up Ukrainian troops trying to advance in the region.",
    "Russian military officials have said they will focus their efforts on eastern Ukraine, where Moscow-backed rebels have been fighting Ukrainian forces since 2014.",
    "It comes as Russia’s month-long campaign in Ukraine appears to have stalled due to stiff resistance from Ukrainian forces.",
    "— with files from The Associated Press and Reuters.",
]

SEED_HEADINGS = [
    "No breakthrough in peace talks, Kremlin says",
    "Top negotiators speak out",
    "Shelling continues around Kyiv, officials say",
    "Thousands of civilians may have died in Mariupol, UN tells Reuters",
    "Russia redeploys some forces to eastern Ukraine, official says",
]

SEED_FURNITURE = [
    "Send this page to someone via email",
    "Story continues below advertisement",
    "View image in full screen",
    "Story continues below advertisement",
    "Story continues below advertisement",
    "View image in full screen",
    "Story continues below advertisement",
    "Story continues below advertisement",
    "2:41 U.S. skeptical over Russia’s promises to scale back military operations near Kyiv U.S. skeptical over Russia’s promises to scale back military operations near Kyiv",
    "Story continues below advertisement",
]

# Photo captions are part of the report (who, where, when): kept, marked, label dropped.
SEED_CAPTIONS = [
    "A view of damaged buildings and vehicles after shelling in the Ukrainian city of Mariupol under the control of Russian military and pro-Russian separatists on March 29. Leon Klein/Anadolu Agency via Getty Images",
    "A map posted by the British Ministry of Defence on March 30 shows the Russian attack and troop locations in Ukraine. U.K. Ministry of Defence on Twitter",
    "Maxar satellite imagery shows before and after photos published on March 29 of a residential area in Mariupol damaged in ongoing fighting. – Satellite image ©2022 Maxar Technologies",
]

MATILDA = """\
type: person
name: Matilda Bogner
aliases: [Bogner]
description: Head of the UN human rights monitoring mission in Ukraine.
"""


def run(*args: str, input: str | None = None):
    return CliRunner().invoke(main, list(args), input=input)


def seed_args(*extra: str) -> list[str]:
    return ["import", str(SEED), "--title", SEED_TITLE, "--source", "Unknown publisher", *extra]


def files_under(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


# --- plain text ----------------------------------------------------------------------------


def test_import_seed_keeps_every_story_paragraph_in_order():
    copy = importing.extract_text(SEED.read_text("utf-8"))
    assert [b.text for b in copy.blocks if b.kind == "p"] == SEED_PARAGRAPHS


def test_import_seed_drops_every_furniture_line():
    copy = importing.extract_text(SEED.read_text("utf-8"))
    assert list(copy.dropped) == SEED_FURNITURE
    body = copy.markdown()
    for marker in ("Send this page", "Story continues", "View image", "2:41"):
        assert marker not in body


def test_import_seed_keeps_photo_captions_marked_as_captions():
    copy = importing.extract_text(SEED.read_text("utf-8"))
    assert [b.text for b in copy.blocks if b.kind == "caption"] == SEED_CAPTIONS
    body = copy.markdown()
    assert "*Image:* A map posted by the British Ministry of Defence on March 30 shows" in body
    assert body.count("{: .ra-caption }") == 3


def test_import_seed_keeps_the_five_section_headings_as_markdown_headings():
    copy = importing.extract_text(SEED.read_text("utf-8"))
    assert [b.text for b in copy.blocks if b.kind == "h2"] == SEED_HEADINGS
    lines = copy.markdown().splitlines()
    assert [line for line in lines if line.startswith("#")] == [f"## {h}" for h in SEED_HEADINGS]
    # each heading sits where it stood: right before the first paragraph of its section
    assert lines[lines.index(f"## {SEED_HEADINGS[1]}") + 2].startswith("Medinsky said on Russia TV")


def test_import_seed_reads_the_date_line_and_credits_the_agencies():
    copy = importing.extract_text(SEED.read_text("utf-8"))
    assert copy.date == "2022-03-30"
    assert copy.credits == ("The Associated Press", "Reuters")
    assert copy.markdown().endswith("\n\n— with files from The Associated Press and Reuters.\n")


def test_import_text_without_date_line_has_no_date():
    copy = importing.extract_text("Kyiv was shelled overnight.\n\nOfficials said so.\n")
    assert copy.date is None
    assert [b.text for b in copy.blocks] == ["Kyiv was shelled overnight.", "Officials said so."]


def test_import_text_joins_hard_wrapped_lines_and_escapes_markdown():
    copy = importing.extract_text("# 1 killed\n\nA *very* long\nline.\n\n- not a list item.\n")
    assert copy.markdown() == "\\# 1 killed\n\nA \\*very\\* long line.\n\n\\- not a list item.\n"


@pytest.mark.parametrize("rule", importing.FURNITURE_RULES, ids=lambda r: r.name)
def test_furniture_rule_removes_its_example(rule):
    assert rule.pattern.fullmatch(rule.example)
    assert importing.furniture_rule(rule.example) == rule


@pytest.mark.parametrize(
    "line",
    [
        "Share prices in Moscow fell sharply on Wednesday.",
        "Advertisement revenue at Russian outlets collapsed, the agency said.",
        "12:30 was when the sirens started, residents said.",
        "Sign up for the territorial defence units opened in Kyiv on Thursday.",
        "Follow the money, he told reporters.",
        "Photographers were not allowed into the hall.",
        "Read more about the talks in our explainer, the editors said.",
        "Close to 100 people gathered outside the theatre.",
    ],
)
def test_furniture_rules_keep_story_sentences(line):
    assert importing.furniture_rule(line) is None


def test_credits_read_reuters_reporting_lines():
    blocks = [
        importing.Block("p", "Shelling went on."),
        importing.Block("p", "(Reporting by Pavel Polityuk in Kyiv; Editing by Jane Roe and John Doe)"),
    ]
    assert importing.find_credits(blocks) == ("Pavel Polityuk", "Jane Roe", "John Doe")


# --- HTML ----------------------------------------------------------------------------------


def test_import_html_reads_title_date_url_authors_and_publisher():
    copy = importing.extract(PAGE.read_text("utf-8"), PAGE.name)
    assert copy.title == "Ukraine says Russian shelling hit Kharkiv overnight"
    assert copy.date == "2022-03-31T08:15:00+03:00"
    assert copy.url == "https://news.example.com/world/2022/03/31/kharkiv-shelling"
    assert copy.authors == ("Olena Petrenko", "James Ortiz")
    assert copy.source == "Example Daily News"
    assert copy.language == "en"
    assert copy.credits == ("Reuters",)


def test_import_html_takes_the_language_from_the_page():
    html = '<html lang="uk"><body><article><p>Київ.</p></article></body></html>'
    assert importing.extract(html).language == "uk"


def test_import_html_keeps_story_paragraphs_and_headings_and_drops_page_furniture():
    copy = importing.extract(PAGE.read_text("utf-8"), PAGE.name)
    assert copy.markdown() == (
        "Russian forces shelled residential districts of Kharkiv overnight, the regional governor "
        "said on Thursday, despite Moscow’s promise to scale back.\n\n"
        "“The city was hit more than 40 times,” Governor Oleh Synyehubov said in a Telegram post.\n\n"
        "## Talks to resume on Friday\n\n"
        "Negotiators from both sides are due to hold further talks by video link on Friday, officials said.\n\n"
        "### Aid convoys wait\n\n"
        "Humanitarian convoys were still waiting outside the city, aid workers said.\n\n"
        "— with files from Reuters\n"
    )
    assert copy.dropped == ("Story continues below advertisement",)


def test_import_html_without_article_uses_the_largest_text_block():
    html = """<html><head><title>Kyiv under curfew - Example Post</title>
    <meta name="author" content="By Jane Doe and John Roe"></head><body>
    <div class="menu"><p>Home</p></div>
    <div id="content"><h1>Kyiv under curfew</h1><p>Kyiv imposed a curfew on Monday.
    <p>Shops stayed shut.<p>Share this article</div>
    <div class="sidebar"><p>Weather</p></div>
    <time datetime="2022-03-21">21 March</time></body></html>"""
    copy = importing.extract(html)
    assert copy.title == "Kyiv under curfew"
    assert copy.date == "2022-03-21"
    assert copy.authors == ("Jane Doe", "John Roe")
    assert copy.source is None
    assert [b.text for b in copy.blocks] == ["Kyiv imposed a curfew on Monday.", "Shops stayed shut."]


def test_import_html_date_without_offset_keeps_only_the_day():
    html = (
        '<html><head><meta property="article:published_time" content="2022-03-30T14:05:00">'
        "</head><body><article><p>Text.</p></article></body></html>"
    )
    assert importing.extract(html).date == "2022-03-30"


# --- pure helpers --------------------------------------------------------------------------


def test_slugify_cuts_long_titles_at_a_word_boundary_and_drops_a_dangling_word():
    assert slugify(SEED_TITLE) == "russia-says-no-breakthrough-at-istanbul-peace-talks"
    assert slugify("Zelenskyy’s ‘Kyiv’ speech: 10 points") == "zelenskyys-kyiv-speech-10-points"
    assert slugify("Ça va à Kyïv") == "ca-va-a-kyiv"


def test_slugify_transliterates_letters_instead_of_dropping_them():
    assert slugify("Ołena Zełenska w Kijowie") == "olena-zelenska-w-kijowie"
    assert slugify("Олена Зеленська") == "olena-zelenska"
    assert slugify("Straße in Łódź") == "strasse-in-lodz"


def test_render_article_orders_fields_and_quotes_dates():
    text = importing.render_article(
        {
            "credits": ["Reuters"],
            "source": "Example",
            "date": "2022-03-30",
            "title": "Talks: no deal",
            "url": None,
        },
        "Body.",
    )
    assert text == (
        "---\ntitle: 'Talks: no deal'\ndate: '2022-03-30'\nsource: Example\n"
        "credits:\n- Reuters\n---\n\nBody.\n"
    )


def test_find_candidates_skips_registry_names_surnames_and_sentence_starts():
    text = (
        "However, Matilda Bogner said on Tuesday. Bogner added that Ukraine President "
        "Volodymyr Zelenskyy met Dmitry Peskov in March. Ukrainian officials agreed."
    )
    entity = Entity(
        id="dmitry-peskov",
        type="person",
        name="Dmitry Peskov",
        aliases=(),
        description="Kremlin spokesman.",
        source=Source("entities/dmitry-peskov.yml"),
    )
    assert importing.find_candidates(text, [entity]) == ["Matilda Bogner", "Ukraine", "Volodymyr Zelenskyy"]


# --- the command ---------------------------------------------------------------------------


def test_import_cli_writes_the_article_and_lists_entities_and_candidates(make_archive):
    make_archive({"entities/matilda-bogner.yml": MATILDA})
    result = run(*seed_args())
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        SEED_PATH,
        "registry entities named in the text (3):",
        "  kremlin",
        "  dmitry-peskov",
        "  matilda-bogner",
        "candidates for new entities (33):",
        "  Russia",
        "  Istanbul",
        "  Ukraine",
        "  Turkey",
        "  Canada",
        "  Kyiv",
        "  Chernihiv",
        "  Mariupol",
        "  Leon Klein",
        "  Anadolu Agency",
        "  Getty Images",
        "  Vladimir Medinsky",
        "  Vladimir Putin",
        "  Volodymyr Zelenskyy",
        "  Moscow",
        "  Donbas",
        "  Russia TV",
        "  NATO",
        "  Crimea",
        "  Mykhailo Podolyak",
        "  Oleksandr Pavliuk",
        "  British Ministry of Defence",
        "  U.K. Ministry of Defence",
        "  Twitter",
        "  Vladyslav Astroshenko",
        "  CNN",
        "  UN",
        "  Reuters",
        "  Vadym Boichenko",
        "  Maxar",
        "  Maxar Technologies",
        "  Oleksiy Arestovych",
        "  Associated Press",
    ]
    assert result.stderr.splitlines()[0] == "dropped 10 lines of page furniture:"


def test_import_cli_output_passes_check(make_archive):
    root = make_archive({})
    assert run(*seed_args("--summary", "Talks ended.", "--url", "https://example.com/a")).exit_code == 0
    report = check_archive(root)
    assert report.problems == ()
    (written,) = report.archive.articles
    assert (written.title, written.date.isoformat(), written.source, written.credits) == (
        SEED_TITLE,
        "2022-03-30",
        "Unknown publisher",
        ("The Associated Press", "Reuters"),
    )
    front = Path(SEED_PATH).read_text("utf-8").split("---\n")[1]
    assert list(yaml.safe_load(front)) == ["title", "date", "source", "url", "language", "summary", "credits"]
    assert "date: '2022-03-30'\n" in front


def test_import_cli_html_takes_metadata_from_the_page(make_archive):
    root = make_archive({})
    result = run("import", str(PAGE))
    assert result.exit_code == 0, result.output
    path = "archive/articles/2022/03/ukraine-says-russian-shelling-hit-kharkiv-overnight.md"
    assert result.stdout.splitlines()[0] == path
    assert (
        Path(path)
        .read_text("utf-8")
        .startswith(
            "---\ntitle: Ukraine says Russian shelling hit Kharkiv overnight\n"
            "date: '2022-03-31T08:15:00+03:00'\nsource: Example Daily News\n"
            "url: https://news.example.com/world/2022/03/31/kharkiv-shelling\n"
            "authors:\n- Olena Petrenko\n- James Ortiz\nlanguage: en\ncredits:\n- Reuters\n---\n\n"
        )
    )
    assert check_archive(root).problems == ()


def test_import_cli_refuses_to_overwrite(make_archive):
    make_archive({})
    target = Path(SEED_PATH)
    target.parent.mkdir(parents=True)
    target.write_text(article(body="Something else."), "utf-8")
    before = target.read_bytes()
    result = run(*seed_args())
    assert result.exit_code == 1
    assert result.stderr == (f"error: {SEED_PATH} already exists; pass another --title, or remove the file\n")
    assert target.read_bytes() == before


def test_import_cli_refuses_an_article_already_archived_under_another_name(make_archive):
    make_archive({})
    assert run(*seed_args()).exit_code == 0
    result = run("import", str(SEED), "--title", "Another title", "--source", "Unknown publisher")
    assert result.exit_code == 1
    assert result.stderr == f"error: this article is already in the archive: {SEED_PATH} has the same text\n"


def test_import_cli_without_source_off_a_terminal_is_a_usage_error(make_archive):
    make_archive({})
    result = run("import", str(SEED), "--title", SEED_TITLE)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == f"Error: {SEED} does not name its publisher; pass --source"
    assert files_under(Path("archive/articles")) == []


def test_import_cli_without_date_off_a_terminal_is_a_usage_error(make_archive, tmp_path):
    make_archive({})
    copy = tmp_path / "copy.txt"
    copy.write_text("Kyiv was shelled overnight.\n", "utf-8")
    result = run("import", "copy.txt", "--title", "Kyiv shelled", "--source", "Example")
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: copy.txt has no date; pass --date"


def test_import_cli_asks_for_missing_values_on_a_terminal(make_archive, monkeypatch):
    make_archive({})
    monkeypatch.setattr(import_command_module, "stdin_is_terminal", lambda: True)
    result = run("import", str(SEED), input=f"{SEED_TITLE}\nUnknown publisher\n")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == [f"Title: {SEED_TITLE}", "Publisher: Unknown publisher"]
    assert Path(SEED_PATH).exists()


def test_import_cli_rejects_a_bad_date_option(make_archive):
    make_archive({})
    result = run(*seed_args("--date", "2022-02-30"))
    assert result.exit_code == 2
    assert "'2022-02-30' is not a date; write it as YYYY-MM-DD" in result.stderr


def test_import_cli_date_option_overrides_the_copy_and_picks_the_folder(make_archive):
    make_archive({})
    result = run(*seed_args("--date", "2022-04-01"))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[0] == (
        "archive/articles/2022/04/russia-says-no-breakthrough-at-istanbul-peace-talks.md"
    )


def test_import_cli_dry_run_prints_the_file_and_writes_nothing(make_archive):
    make_archive({})
    result = run(*seed_args("--dry-run"))
    assert result.exit_code == 0
    assert result.stdout.startswith(f"---\ntitle: {SEED_TITLE}\ndate: '2022-03-30'\n")
    assert result.stdout.endswith("— with files from The Associated Press and Reuters.\n")
    assert result.stderr.splitlines()[-1] == f"would write {SEED_PATH} (dry run: nothing written)"
    assert files_under(Path("archive/articles")) == []


def test_import_cli_write_failure_leaves_no_file_and_no_temporary_file(make_archive, monkeypatch):
    make_archive({})

    def broken_fsync(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    result = run(*seed_args())
    assert result.exit_code == 1
    assert result.stderr.splitlines()[-1] == f"error: cannot write {SEED_PATH}: No space left on device"
    assert files_under(Path("archive/articles")) == []


def test_import_cli_without_an_archive_is_a_usage_error(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run(*seed_args())
    assert result.exit_code == 2
    assert result.stderr.splitlines()[-1] == "Error: no archive at archive; pass --archive DIR"


def test_import_cli_with_no_text_is_a_content_error(make_archive, tmp_path):
    make_archive({})
    copy = tmp_path / "empty.txt"
    copy.write_text("date 2022-03-30 Send this page to someone via email\n\nAdvertisement\n", "utf-8")
    result = run("import", "empty.txt", "--title", "T", "--source", "S")
    assert result.exit_code == 1
    assert result.stderr == "error: found no article text in empty.txt\n"


def test_import_cli_help_ends_with_an_example():
    result = run("import", "--help")
    assert result.exit_code == 0
    lines = [line.strip() for line in result.output.splitlines()]
    example = lines.index("Example:")
    options = lines.index("Options:")
    assert lines[example + 1].startswith("archive import saved/peace-talks.txt --title")
    assert lines[example + 2].startswith("archive import --csv kremlin.csv --columns title=headline")
    assert lines[example + 3].startswith("--source") and lines[options - 1 : options] == [""]
    assert options == example + 5
