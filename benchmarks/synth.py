"""A synthetic archive of realistic shape, for benchmarks: N articles of ~700 words, a registry
of 2,000 entities with aliases, mentions with a long-tailed frequency, dates over ten years.

Deterministic for a given N and seed. Writes plain files, the same as contributors do.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
import random
from pathlib import Path

SYLLABLES = (
    "ka ri vo len mar tin ost pol dan ves ko mir sla bo han ne ly za ge or ta us ev "
    "il ro na fe dor sen ya lu pe ch dru vin gar mo ze bel ar kor ni"
).split()
WORDS = (
    "the of and to in a said on that for with was were is as by at from had has its it "
    "after officials forces city government talks people region military report said "
    "minister president troops attack week country border statement support aid energy "
    "prices border villages residents shelling negotiators sanctions ministry reporters "
    "spokesman agency according earlier later statement capital front line local "
    "humanitarian corridor evacuation grain exports port bridge railway power station "
    "would could also not but more than about over into against under during while"
).split()
TYPES = (("person", 800), ("place", 500), ("organization", 500), ("event", 100), ("other", 100))
DATE_PHRASES = (
    "on Tuesday",
    "on Monday",
    "last week",
    "since 2014",
    "on Feb. 24",
    "in March",
    "yesterday",
    "on 9 May",
    "earlier this month",
)
SOURCES = 40
TAGS = 30
START = dt.date(2013, 1, 1)
DAYS = 3652  # ten years


def _name(rng: random.Random, parts: int) -> str:
    return " ".join(
        "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize() for _ in range(parts)
    )


def make_registry(rng: random.Random, count: int = 2000) -> list[tuple[str, str, str, list[str]]]:
    """(id, type, name, aliases) with every name and alias unique across the registry."""
    taken: set[str] = set()
    entities = []
    kinds = [k for k, n in TYPES for _ in range(n)]
    while len(entities) < count:
        kind = kinds[len(entities) % len(kinds)]
        name = _name(rng, 2 if kind == "person" else rng.randint(1, 2))
        if name in taken:
            continue
        aliases = []
        variants = [name.replace("o", "a", 1), name + "e", name.split()[-1] + "sk"]
        for alias in variants[: rng.randint(0, 3)]:
            if alias not in taken and alias != name:
                aliases.append(alias)
        taken.update([name, *aliases])
        slug = name.lower().replace(" ", "-")
        entities.append((f"{slug}-{len(entities)}", kind, name, aliases))
    return entities


def _whereabouts(rng: random.Random, kind: str) -> str:
    """Coordinates for a place (four in five in one region, the rest anywhere), a period for
    every other event: what the maps and the timelines draw."""
    if kind == "place":
        if rng.random() < 0.8:
            lat, lon = rng.uniform(44, 56), rng.uniform(22, 42)
        else:
            lat, lon = rng.uniform(-50, 70), rng.uniform(-170, 175)
        return f"coordinates: [{lat:.2f}, {lon:.2f}]\n"
    if kind == "event" and rng.random() < 0.5:
        start = START + dt.timedelta(days=rng.randrange(DAYS))
        end = start + dt.timedelta(days=rng.randrange(1, 30))
        return f"start: {start.isoformat()}\nend: {end.isoformat()}\n"
    return ""


def write_archive(root: Path, count: int, seed: int = 1) -> Path:
    """Write a synthetic archive of `count` articles under `root` (articles/, entities/)."""
    rng = random.Random(seed)
    registry = make_registry(rng)
    (root / "entities").mkdir(parents=True, exist_ok=True)
    where = random.Random(seed + 1)  # places and events: their own draws, the articles stay as they were
    for entity_id, kind, name, aliases in registry:
        alias_lines = "".join(f"  - {a}\n" for a in aliases)
        (root / "entities" / f"{entity_id}.yml").write_text(
            f"type: {kind}\nname: {name}\n"
            + (f"aliases:\n{alias_lines}" if aliases else "")
            + f"description: Synthetic {kind} number {entity_id.rsplit('-', 1)[1]}.\n"
            + _whereabouts(where, kind),
            encoding="utf-8",
        )
    # Zipf-like popularity: entity k is named with weight 1/(k+1).
    cumulative = list(itertools.accumulate(1 / (k + 1) for k in range(len(registry))))
    sources = [
        f"{_name(rng, 1)} {rng.choice(['Times', 'Post', 'News', 'Herald', 'Agency'])}" for _ in range(SOURCES)
    ]
    source_weights = list(itertools.accumulate(1 / (k + 1) for k in range(SOURCES)))
    tags = [_name(rng, 1).lower() for _ in range(TAGS)]
    paragraphs = [
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(40, 70))).capitalize() + "." for _ in range(400)
    ]
    for number in range(count):
        day = START + dt.timedelta(days=rng.randrange(DAYS))
        picked = {
            bisect.bisect_left(cumulative, rng.random() * cumulative[-1]) for _ in range(rng.randint(5, 25))
        }
        names = [rng.choice([registry[i][2], *registry[i][3]]) for i in sorted(picked)]
        body: list[str] = []
        words = 0
        while words < 700:
            para = rng.choice(paragraphs)
            cut = para.split(" ")
            if names:
                at = rng.randrange(len(cut))
                cut.insert(at, names.pop())
            if rng.random() < 0.3:
                cut.insert(rng.randrange(len(cut)), rng.choice(DATE_PHRASES))
            body.append(" ".join(cut))
            words += len(cut)
            if rng.random() < 0.15:
                body.append(f"## {_name(rng, 2)} {rng.choice(WORDS)} {rng.choice(WORDS)}")
        body.append(f"Report number {number} in this archive ends here.")
        source = sources[bisect.bisect_left(source_weights, rng.random() * source_weights[-1])]
        article_tags = rng.sample(tags, rng.randint(0, 3))
        slug = f"report-{number:06d}"
        folder = root / "articles" / f"{day.year:04d}" / f"{day.month:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        tag_lines = "".join(f"  - {t}\n" for t in article_tags)
        (folder / f"{slug}.md").write_text(
            f"---\ntitle: {_name(rng, 1)} {' '.join(rng.choice(WORDS) for _ in range(6))}\n"
            f"date: '{day.isoformat()}'\nsource: {source}\n"
            f"url: https://example.org/{number}\n"
            + (f"tags:\n{tag_lines}" if tag_lines else "")
            + "---\n\n"
            + "\n\n".join(body)
            + "\n",
            encoding="utf-8",
        )
    return root


if __name__ == "__main__":
    import sys

    write_archive(Path(sys.argv[2]), int(sys.argv[1]))
