from __future__ import annotations

from build_tools.check import check_archive
from build_tools.link import link
from tests.conftest import article

PLACE = "type: place\nname: {name}\ndescription: A place.\n"


def linked_archive(make_archive, files):
    return link(check_archive(make_archive(files)).archive)


def test_link_honours_entities_and_not_entities(make_archive):
    linked = linked_archive(
        make_archive,
        {
            "articles/2022/03/a.md": article(
                body="The Kremlin said little; Peskov spoke.",
                entities=["kremlin"],
                not_entities=["dmitry-peskov"],
            ),
            "articles/2022/03/b.md": article(body="Nothing named.", entities=["kremlin"]),
        },
    )
    a, b = linked.links
    assert a.entity_ids == ("kremlin",)
    assert [m.entity_id for m in a.mentions] == ["kremlin"]
    assert b.entity_ids == ("kremlin",) and b.mentions == ()


def test_link_ranks_related_articles_by_rare_shared_entities_then_time(make_archive):
    files = {f"entities/{p.lower()}.yml": PLACE.format(name=p) for p in ["Bucha", "Irpin", "Kyiv"]}
    files.update(
        {
            "articles/2022/04/base.md": article(date="2022-04-04", body="Kyiv, Bucha and Irpin."),
            "articles/2022/04/rare.md": article(date="2022-04-20", body="Bucha again, and Kyiv."),
            "articles/2022/04/common-near.md": article(date="2022-04-05", body="Kyiv only."),
            "articles/2022/04/common-far.md": article(date="2022-04-25", body="Kyiv, later."),
            "articles/2022/04/nothing.md": article(date="2022-04-06", body="No names here."),
        }
    )
    linked = linked_archive(make_archive, files)
    base = linked.links[linked.index_of("base")]
    assert [linked.links[i].article.slug for i in base.related] == ["rare", "common-near", "common-far"]


def test_link_sets_previous_and_next_in_time(make_archive):
    linked = linked_archive(
        make_archive,
        {
            "articles/2022/03/b.md": article(date="2022-03-02", body="B: the Kremlin."),
            "articles/2022/03/a.md": article(date="2022-03-01", body="A: the Kremlin."),
            "articles/2022/03/c.md": article(date="2022-03-03", body="C: Peskov."),
        },
    )
    assert [(x.previous, x.next) for x in linked.links] == [(None, 1), (0, 2), (1, None)]
    assert dict(linked.by_entity) == {"kremlin": (0, 1), "dmitry-peskov": (2,)}


def test_link_in_two_processes_finds_the_same_mentions_dates_and_quotes(make_archive, monkeypatch):
    import build_tools.link.links as linking
    from build_tools.check import check_archive
    from tests.conftest import article

    files = {
        f"articles/2022/03/a{i:03d}.md": article(
            date=f"2022-03-{i % 28 + 1:02d}",
            body=f'"We see no progress," Peskov said on {i % 28 + 1} March. The Kremlin waited, {i}.',
        )
        for i in range(450)
    }
    archive = check_archive(make_archive(files)).archive
    monkeypatch.setattr(linking, "PARALLEL_FROM", 1)
    both = linking.link(archive)
    monkeypatch.setattr(linking, "PARALLEL_FROM", 10**9)
    one = linking.link(archive)
    assert both.links == one.links and both.by_speaker == one.by_speaker
    assert len(both.by_speaker["dmitry-peskov"]) == 450
    assert both.mentioned_days == one.mentioned_days
