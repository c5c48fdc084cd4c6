"""The archive's content model, from the `archive` plugin's options in mkdocs.yml: its title and
description, and its entity kinds with their labels. Every stage takes it from here; nothing in
the generator names the subject of one archive. Read without MkDocs, so `archive check` and
`archive search` need no site build."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .urls import page_url

KIND_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
MAX_KINDS = 20  # each kind is a nav entry, a filter option and a colour: a reader's eye holds few
# Colours for chips of kinds that name none: distinct in light and dark schemes.
PALETTE = (
    "#1e63b5",
    "#7b3fa8",
    "#1b7a3d",
    "#b35c00",
    "#5f6b73",
    "#a3324a",
    "#007c80",
    "#6b5a00",
    "#3f51b5",
    "#8d4e85",
)


class SettingsError(ValueError):
    """An option of the `archive` plugin that cannot be used; the message names it."""


@dataclass(frozen=True)
class EntityKind:
    """A kind of registry entry (person, place, military unit…) and how pages name it."""

    id: str  # as written in an entity file's `type:`
    name: str  # "Organisation"
    plural: str  # "Organisations"
    page: str  # the index page of this kind, "organizations.md"
    chip: str  # the short label on a chip, "org"
    colour: str  # a CSS colour for its chips
    heading: str = ""  # the title of its page and nav entry; the plural when empty
    dark: str = ""  # its colour in the dark scheme; derived from `colour` when empty

    @property
    def title(self) -> str:
        return self.heading or self.plural

    @property
    def singular_word(self) -> str:
        """The name in running text: 'organisation'."""
        return self.name.lower()

    @property
    def plural_word(self) -> str:
        return self.plural.lower()


@dataclass(frozen=True)
class Grouping:
    """A front-matter key whose values group articles, each value (a term) with a page listing
    its articles, and an index page of its terms: `source` and `tags`, and any the archive
    configures, such as `region`."""

    key: str  # the front-matter key: "region"
    name: str  # "Region"
    plural: str  # "Regions"
    folder: str  # where the term pages go: "regions" -> regions/<term>.md

    @property
    def page(self) -> str:
        """The index page of the grouping's terms."""
        return f"{self.folder}.md"


@dataclass(frozen=True)
class Site:
    """Where the site is published, from mkdocs.yml (`site_name`, `site_url`,
    `use_directory_urls`) or `archive build --site-url`: citations, feeds and the printed page
    name the archive and give its addresses. Without a `url` (a folder on disk) they keep to
    relative links and leave out what only an absolute address can say."""

    name: str = ""
    url: str | None = None  # http(s), ending in '/'
    directory_urls: bool = False

    def page_url(self, page: str) -> str:
        """A page's (or file's) address relative to the site's root."""
        return page_url(page, self.directory_urls) if page.endswith(".md") else page

    def absolute(self, page: str) -> str | None:
        """A page's (or file's) full address; None without a site address."""
        return self.url + self.page_url(page) if self.url else None

    def link(self, from_page: str, target: str) -> str:
        """A link from a generated page to a file of the site that is no page (a feed, a
        citation): the render stage's .md links are rewritten by the publish stage, these are
        not, so they are written for the page's own address (a folder with directory URLs)."""
        return "../" * self.page_url(from_page).count("/") + target


@dataclass(frozen=True)
class Settings:
    title: str
    description: str
    entity_kinds: tuple[EntityKind, ...]
    extra_groupings: tuple[Grouping, ...] = ()
    site: Site = Site()

    @property
    def groupings(self) -> tuple[Grouping, ...]:
        """source, tags, then those the archive configures."""
        return (*BUILT_IN_GROUPINGS, *self.extra_groupings)

    def kind(self, kind_id: str) -> EntityKind:
        for kind in self.entity_kinds:
            if kind.id == kind_id:
                return kind
        raise KeyError(kind_id)

    @property
    def kind_ids(self) -> tuple[str, ...]:
        return tuple(kind.id for kind in self.entity_kinds)


def _kind(
    kind_id: str, name: str, plural: str, page: str, chip: str, colour: str, dark: str, heading: str = ""
) -> EntityKind:
    return EntityKind(kind_id, name, plural, page, chip, colour, heading, dark)


# Today's five kinds, with the pages and words the site has always used.
DEFAULT_KINDS = (
    _kind("person", "Person", "People", "people.md", "person", "#1e63b5", "#8ab8f0"),
    _kind("organization", "Organisation", "Organisations", "organizations.md", "org", "#7b3fa8", "#c9a0e8"),
    _kind("place", "Place", "Places", "places.md", "place", "#2e7d32", "#8fd18f"),
    _kind("event", "Event", "Events", "events.md", "event", "#b85c00", "#f2b166"),
    _kind("other", "Other", "Others", "other-entities.md", "other", "#5f6b73", "#aab4bb", "Other"),
)
BUILT_IN_GROUPINGS = (
    Grouping("source", "Source", "Sources", "sources"),
    Grouping("tags", "Tag", "Tags", "tags"),
)
# Front-matter fields of every article (the properties of the article schema the check ships),
# and the search page's address parameters: no grouping may take one of these keys.
ARTICLE_FIELDS = frozenset(
    json.loads((Path(__file__).parent / "check/schema/article.schema.json").read_text("utf-8"))["properties"]
)
RESERVED_KEYS = ARTICLE_FIELDS | {"q", "entity", "tag", "lang", "from", "to", "sort", "page"}
MAX_GROUPINGS = 10
DEFAULT_TITLE = "A research archive"
DEFAULT_DESCRIPTION = (
    "Source reports kept as published, cross-linked by person, place, organisation, event, source and day."
)
DEFAULT = Settings(DEFAULT_TITLE, DEFAULT_DESCRIPTION, DEFAULT_KINDS)
# Pages every archive has; a kind's page may not take one of them.
RESERVED_PAGES = frozenset({"index.md", "dates.md", "timeline.md", "sources.md", "tags.md", "search.md"})
# Folders of the site a grouping's term pages may not take.
RESERVED_FOLDERS = frozenset({"articles", "entities", "dates", "sources", "tags", "search", "assets"})
_COLOUR = re.compile(r"#[0-9a-fA-F]{3}(?:[0-9a-fA-F]{3})?|[a-z]+")
_PAGE = re.compile(r"[a-z0-9][a-z0-9-]*\.md")


def settings_from_options(options: Mapping[str, Any]) -> Settings:
    """Settings from the `archive` plugin's options (a mapping as in mkdocs.yml); what is not
    given keeps its default. Raises SettingsError naming the option that is wrong."""
    title = _text(options, "title", DEFAULT_TITLE)
    description = _text(options, "description", DEFAULT_DESCRIPTION)
    groupings = _groupings(options.get("groupings"))
    kinds = _kinds(options.get("entity_kinds"))
    taken = {g.page for g in groupings} & {k.page for k in kinds}
    if taken:
        raise SettingsError(f"entity_kinds and groupings both use the page '{min(taken)}'")
    return Settings(title, description, kinds, groupings)


def _kinds(given: Any) -> tuple[EntityKind, ...]:
    if given is None:
        return DEFAULT_KINDS
    if not isinstance(given, Mapping) or not given:
        raise SettingsError(
            "entity_kinds must map each kind's id to its labels, e.g. "
            "'unit: {name: Military unit, plural: Military units}'"
        )
    if len(given) > MAX_KINDS:
        raise SettingsError(f"entity_kinds lists {len(given)} kinds; the limit is {MAX_KINDS}")
    kinds, pages = [], set()
    for position, (kind_id, labels) in enumerate(given.items()):
        kind = _kind_from(kind_id, labels, position)
        if kind.page in pages or kind.page in RESERVED_PAGES:
            raise SettingsError(
                f"entity_kinds: {kind_id}: page '{kind.page}' is taken; give the kind a page of its own"
            )
        pages.add(kind.page)
        kinds.append(kind)
    return tuple(kinds)


def _groupings(given: Any) -> tuple[Grouping, ...]:
    if given is None:
        return ()
    if not isinstance(given, Mapping):
        raise SettingsError(
            "groupings must map each front-matter key to its labels, e.g. "
            "'region: {name: Region, plural: Regions}'"
        )
    if len(given) > MAX_GROUPINGS:
        raise SettingsError(f"groupings lists {len(given)} keys; the limit is {MAX_GROUPINGS}")
    found, folders = [], set()
    for key, labels in given.items():
        if not isinstance(key, str) or not KIND_ID.fullmatch(key) or len(key) > 40:
            raise SettingsError(
                f"groupings: '{key}' is not a front-matter key: use lower-case "
                "letters, digits and hyphens, as in 'region'"
            )
        if key in RESERVED_KEYS:
            raise SettingsError(
                f"groupings: '{key}' is a field every article has, or a word "
                "the search page's address uses; choose another key"
            )
        if not isinstance(labels, Mapping):
            raise SettingsError(f"groupings: {key}: give its labels, e.g. '{key}: {{name: …, plural: …}}'")
        unknown = set(labels) - {"name", "plural", "folder"}
        if unknown:
            raise SettingsError(
                f"groupings: {key}: unknown option '{min(map(str, unknown))}' (name, plural, folder)"
            )
        where = f"groupings: {key}: "
        name, plural = _text(labels, "name", None, where), _text(labels, "plural", None, where)
        folder = _text(labels, "folder", key, where)
        if not KIND_ID.fullmatch(folder) or folder in RESERVED_FOLDERS or folder in folders:
            raise SettingsError(
                f"{where}folder '{folder}' is taken or not a folder name; give "
                "it a folder of its own, such as 'regions'"
            )
        folders.add(folder)
        found.append(Grouping(key, name, plural, folder))
    return tuple(found)


def _kind_from(kind_id: Any, labels: Any, position: int) -> EntityKind:
    if not isinstance(kind_id, str) or not KIND_ID.fullmatch(kind_id) or len(kind_id) > 40:
        raise SettingsError(
            f"entity_kinds: '{kind_id}' is not a kind id: use lower-case letters, "
            "digits and hyphens, as in 'military-unit'"
        )
    default = next((k for k in DEFAULT_KINDS if k.id == kind_id), None)
    if labels is None and default is not None:
        return default
    if not isinstance(labels, Mapping):
        raise SettingsError(
            f"entity_kinds: {kind_id}: give its labels, e.g. '{kind_id}: {{name: …, plural: …}}'"
        )
    unknown = set(labels) - {"name", "plural", "page", "chip", "colour", "heading"}
    if unknown:
        raise SettingsError(
            f"entity_kinds: {kind_id}: unknown option '{min(map(str, unknown))}' "
            "(name, plural, page, chip, colour, heading)"
        )
    name = _text(labels, "name", default.name if default else None, f"entity_kinds: {kind_id}: ")
    plural = _text(labels, "plural", default.plural if default else None, f"entity_kinds: {kind_id}: ")
    page = _text(
        labels, "page", default.page if default else f"{kind_id}-entities.md", f"entity_kinds: {kind_id}: "
    )
    if not _PAGE.fullmatch(page):
        raise SettingsError(
            f"entity_kinds: {kind_id}: page '{page}' must be a file name such as '{kind_id}s.md'"
        )
    chip = _text(labels, "chip", default.chip if default else name.lower(), f"entity_kinds: {kind_id}: ")
    colour = _text(
        labels,
        "colour",
        default.colour if default else PALETTE[position % len(PALETTE)],
        f"entity_kinds: {kind_id}: ",
    )
    if not _COLOUR.fullmatch(colour):
        raise SettingsError(
            f"entity_kinds: {kind_id}: colour '{colour}' must be '#rrggbb' or a CSS colour name"
        )
    heading = _text(
        labels,
        "heading",
        default.heading if default and default.heading else plural,
        f"entity_kinds: {kind_id}: ",
    )
    dark = default.dark if default and colour == default.colour else ""
    return EntityKind(kind_id, name, plural, page, chip, colour, "" if heading == plural else heading, dark)


def _text(options: Mapping[str, Any], key: str, default: str | None, where: str = "") -> str:
    value = options.get(key, default)
    if value is None:
        raise SettingsError(f"{where}{key} is missing")
    if not isinstance(value, str) or not value.strip() or len(value) > 500:
        raise SettingsError(f"{where}{key} must be a text of at most 500 characters")
    return " ".join(value.split())


class _AnyTagLoader(yaml.SafeLoader):
    """mkdocs.yml may hold tags such as `!!python/name:` for Material's extensions; their values
    are not ours to read, so they load as None instead of failing."""


_AnyTagLoader.add_multi_constructor("", lambda loader, suffix, node: None)


def read_settings(config_file: Path) -> Settings:
    """The settings in `config_file` (mkdocs.yml): the options of its `archive` plugin.
    Defaults when the file does not exist. Raises SettingsError for options that are wrong or
    a file that is not YAML."""
    try:
        text = Path(config_file).read_text("utf-8")
    except FileNotFoundError:
        return DEFAULT
    try:
        config = yaml.load(text, Loader=_AnyTagLoader)
    except yaml.YAMLError as exc:
        raise SettingsError(f"is not YAML: {' '.join(str(exc).split())[:200]}") from None
    plugins = config.get("plugins") if isinstance(config, dict) else None
    entries = [plugins] if isinstance(plugins, dict) else plugins if isinstance(plugins, list) else []
    for entry in entries:
        if isinstance(entry, dict) and "archive" in entry:
            options = entry["archive"] or {}
            if not isinstance(options, dict):
                raise SettingsError("its options must be a mapping")
            return settings_from_options(options)
    return DEFAULT


def read_site(config_file: Path) -> Site:
    """The site's name and address as `config_file` (mkdocs.yml) gives them (`site_name`,
    `site_url`), for commands that run without MkDocs; an empty Site when there is none."""
    try:
        config = yaml.load(Path(config_file).read_text("utf-8"), Loader=_AnyTagLoader)
    except (OSError, yaml.YAMLError):
        return Site()
    if not isinstance(config, dict):
        return Site()
    name, url = config.get("site_name"), config.get("site_url")
    return Site(
        " ".join(name.split()) if isinstance(name, str) else "",
        (url if url.endswith("/") else url + "/") if isinstance(url, str) and url.strip() else None,
        config.get("use_directory_urls", True) is not False,
    )
