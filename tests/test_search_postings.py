"""The search index's postings kept between builds: a rebuild that updates them for the articles
that changed writes the same search files, byte for byte, as a build from nothing."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import pytest

from build_tools.check import check_archive
from build_tools.link import link
from build_tools.memo import Memo
from build_tools.search import postings as postings_module
from build_tools.search.index import TEXT_MEMO, write_search_index
from build_tools.search.postings import (
    PATCH_AT_MOST,
    Document,
    Postings,
    encoded,
    kept_encoding,
    snapshot,
    updated,
)
from tests.conftest import article

WORDS = [f"w{n}" for n in range(40)]


def random_document(rng: random.Random, signature: str) -> Document:
    body = Counter(rng.choices(WORDS, k=rng.choice([0, 1, 3, 8, 20, 60])))
    return Document(
        signature,
        body,
        set(rng.sample(WORDS, rng.randint(0, 3))),
        set(rng.sample(WORDS, rng.randint(0, 2))),
    )


def from_nothing(documents: list[Document]) -> dict[str, str]:
    postings = Postings()
    for document in documents:
        postings.add(document)
    return encoded(postings).entries


@pytest.mark.parametrize("seed", range(60))
def test_postings_updated_for_changed_documents_encode_as_made_from_nothing(seed: int) -> None:
    """Documents changed in place and added after the last, over three builds: each build's
    entries are those of a build from nothing, also where the new average length moves the
    weights of documents that did not change (a few documents, lengths far apart)."""
    rng = random.Random(seed)
    documents = [random_document(rng, f"0:{n}") for n in range(rng.randint(1, 12))]
    postings, touched = updated(None, documents)
    assert touched is None
    kept = snapshot(postings, encoded(postings))
    patched = 0
    for build in range(1, 4):
        documents = list(documents)
        for doc in rng.sample(range(len(documents)), rng.randint(0, min(3, len(documents)))):
            documents[doc] = random_document(rng, f"{build}:{doc}")
        documents += [random_document(rng, f"{build}:new{n}") for n in range(rng.choice([0, 0, 1, 2]))]
        postings, touched = updated(kept, documents)
        encoding = encoded(postings, kept_encoding(kept), touched)
        assert touched is not None  # patched, not made whole
        assert encoding.entries == from_nothing(documents)
        patched += 1
        kept = snapshot(postings, encoding)
    assert patched == 3


def test_postings_weights_moved_by_the_average_are_encoded_again() -> None:
    """One long document added to short ones moves the average length: the short ones' weights
    change a step though their text did not, and their terms are encoded again."""
    documents = [Document(f"d{n}", Counter({"war": 1, f"t{n}": 2}), set(), set()) for n in range(6)]
    postings, _ = updated(None, documents)
    kept = snapshot(postings, encoded(postings))
    longer = [*documents, Document("long", Counter({f"x{n}": 5 for n in range(60)}), set(), set())]
    postings, touched = updated(kept, longer)
    assert touched is not None and "war" not in touched and "t0" not in touched
    entries = encoded(postings, kept_encoding(kept), touched).entries
    assert entries["war"] != kept_encoding(kept).entries["war"]  # type: ignore[union-attr]
    assert entries == from_nothing(longer)


def test_postings_are_made_whole_when_documents_are_removed_or_many_changed() -> None:
    documents = [Document(f"d{n}", Counter({"w": n + 1}), set(), set()) for n in range(20)]
    postings, _ = updated(None, documents)
    kept = snapshot(postings, encoded(postings))
    assert updated(kept, documents[1:])[1] is None  # one removed: the numbers moved
    many = [Document(f"e{n}", d.body, d.title, d.names) for n, d in enumerate(documents)]
    assert updated(kept, many[: PATCH_AT_MOST + 1] + documents[PATCH_AT_MOST + 1 :])[1] is None
    assert updated(kept, many[:PATCH_AT_MOST] + documents[PATCH_AT_MOST:])[1] is not None
    assert updated(("not", "a", "snapshot"), documents)[1] is None


FILES = {
    "entities/peskov.yml": "type: person\nname: Dmitry Peskov\naliases:\n  - Peskov\ndescription: Kremlin.\n",
    **{
        f"articles/2022/03/a{n}.md": article(
            title=f"Story {n}",
            date=f"2022-03-{n + 1:02d}",
            body=f"Peskov spoke of grain, {n} times. " * (n + 1),
        )
        for n in range(10)
    },
}


def search_files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


@pytest.mark.parametrize("change", ["edit", "add-newest", "alias", "remove", "damaged-snapshot"])
def test_search_files_written_from_kept_postings_match_a_build_from_nothing(
    make_archive, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    root = make_archive(FILES)
    memo_file = tmp_path / "search-memo.pickle"

    def write(out: Path, memo: Memo | None) -> None:
        linked = link(check_archive(root).archive)
        write_search_index(linked, out, lambda path: path, memo=memo, database=False)

    memo = Memo(memo_file, *TEXT_MEMO)
    write(tmp_path / "first", memo)
    memo.save()
    if change == "edit":
        (root / "articles/2022/03/a3.md").write_text(
            article(title="Story 3", date="2022-03-04", body="A much longer text about the harbour. " * 30)
        )
    elif change == "add-newest":
        (root / "articles/2022/03/z.md").write_text(
            article(title="Later", date="2022-03-30", body="Peskov, later.")
        )
    elif change == "alias":
        (root / "entities/peskov.yml").write_text(
            FILES["entities/peskov.yml"].replace("- Peskov", "- Peskov\n  - Kremlin")
        )
    elif change == "remove":
        (root / "articles/2022/03/a0.md").unlink()
    else:
        (root / "articles/2022/03/a3.md").write_text(
            article(title="Story 3", date="2022-03-04", body="Grain.")
        )
        (tmp_path / "search-memo-postings.pickle").write_bytes(b"\x80\x05not a snapshot")
    made_whole: list[bool] = []
    real = postings_module.updated

    def spy(kept: object, documents: list[Document]) -> tuple[Postings, set[str] | None]:
        result = real(kept, documents)
        made_whole.append(result[1] is None)
        return result

    with monkeypatch.context() as patched:
        patched.setattr("build_tools.search.index.updated", spy)
        write(tmp_path / "again", Memo(memo_file, *TEXT_MEMO))
    write(tmp_path / "clean", None)
    assert search_files(tmp_path / "again") == search_files(tmp_path / "clean")
    # An edit in place and an article after the last are patched; an alias changes every
    # article naming the entity, a removal renumbers the later ones, a damaged file of kept
    # postings is not read: made whole.
    assert made_whole == [change in ("alias", "remove", "damaged-snapshot")]
