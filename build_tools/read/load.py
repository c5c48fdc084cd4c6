"""Reading the archive from disk: files -> raw front matter, body and the line of every key.

Everything that can go wrong while reading (not UTF-8, no front matter, YAML that does not
parse, duplicate keys, symlinks that leave the archive) becomes a Problem, never an exception.
"""
from __future__ import annotations

import codecs
import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..memo import Memo
from ..memo import key as memo_key
from ..problems import Problem, Source, error, quote, shorten, warning

MAX_FILE_BYTES = 5 * 1024 * 1024
# Items in one list of a file's fields: far more than any article or entity needs, and few
# enough that a few megabytes of items cannot take the check minutes, item by item.
MAX_LIST_ITEMS = 1_000
ARTICLE_SUFFIXES = (".md",)
ENTITY_SUFFIXES = (".yml", ".yaml")

_BaseLoader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _Loader(_BaseLoader):
    """Safe YAML without implicit timestamps: dates stay strings, so that validate can say
    '2022-02-30 is not a calendar date' instead of YAML failing on it."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        # An explicit tag on a value it does not fit (`!!int x`, `!!timestamp x`) makes
        # PyYAML's constructors raise anything; it is a YAML mistake on that value's line.
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except Exception:
            tag = str(node.tag).replace("tag:yaml.org,2002:", "!!")
            what = quote(node.value) if isinstance(node, yaml.ScalarNode) else "this value"
            raise yaml.constructor.ConstructorError(
                None, None, f"{what} cannot be read as {tag}", node.start_mark) from None


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass(frozen=True)
class RawDocument:
    """One file's mapping as YAML gave it, with the line of each key and list item."""

    source: Source  # the file as shown to the user, line 1
    rel_path: str  # posix, relative to the archive root
    data: dict[str, Any] = field(compare=False)
    key_lines: dict[str, int] = field(compare=False)
    item_lines: dict[str, tuple[int, ...]] = field(compare=False)
    body: str = ""
    body_line: int = 1
    cut: frozenset[str] = frozenset()  # lists over MAX_LIST_ITEMS: only their start was read

    def line_of(self, key: str, item: int | None = None) -> int:
        if item is not None:
            items = self.item_lines.get(key, ())
            if item < len(items):
                return items[item]
        return self.key_lines.get(key, self.source.line)


@dataclass(frozen=True)
class RawArchive:
    root: Path
    articles: tuple[RawDocument, ...]
    entities: tuple[RawDocument, ...]
    files: int  # how many files were read, for the summary line


def display_path(path: Path) -> str:
    """The path as a user wants to see it: relative to the working directory when inside it."""
    try:
        return Path(os.path.relpath(path)).as_posix() if path.is_absolute() else path.as_posix()
    except ValueError:  # another drive on Windows
        return path.as_posix()


def load_archive(root: Path, memo: Memo | None = None) -> tuple[RawArchive, list[Problem]]:
    """Read every article and entity file under `root` (articles/, entities/).

    With a memo, a file whose bytes were parsed by an earlier build is not parsed again.
    """
    root = Path(root)
    problems: list[Problem] = []
    seen: list[Path] = []  # every file looked at, read or refused, for the summary line
    articles = _load_all(root, "articles", ARTICLE_SUFFIXES, _parse_article, problems, memo, seen)
    entities = _load_all(root, "entities", ENTITY_SUFFIXES, _parse_entity, problems, memo, seen)
    raw = RawArchive(root, tuple(articles), tuple(entities), files=len(seen))
    return raw, problems


def find_files(root: Path, folder: str, suffixes: tuple[str, ...]) -> list[Path]:
    return _walk(root / folder, suffixes)[0]


def _walk(base: Path, suffixes: tuple[str, ...]) -> tuple[list[Path], list[Path]]:
    """(files with one of `suffixes`, links to folders) under `base`, hidden names left out.

    Links to folders are not followed (os.walk's default): they are reported instead.
    """
    if not base.is_dir():
        return [], []
    files: list[Path] = []
    folder_links: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(base):
        here = Path(dirpath)
        files += [here / name for name in filenames
                  if name.endswith(suffixes) and not name.startswith(".")]
        folder_links += [here / name for name in dirnames
                         if not name.startswith(".") and (here / name).is_symlink()]
    return sorted(files), sorted(folder_links)


def _load_all(root: Path, folder: str, suffixes: tuple[str, ...], parse: Any,
              problems: list[Problem], memo: Memo | None, seen: list[Path]) -> list[RawDocument]:
    docs: list[RawDocument] = []
    real_root = root.resolve()
    shown_root = display_path(root.absolute())
    prefix = "" if shown_root == "." else shown_root.rstrip("/") + "/"
    base = root / folder
    if base.is_symlink():
        refused = link_problem(base, prefix + folder, real_root, is_folder=True)
        if refused is not None and refused.severity == "error":
            problems.append(refused)
            return docs
    files, folder_links = _walk(base, suffixes)
    seen += files
    for link in folder_links:
        refused = link_problem(link, prefix + link.relative_to(root).as_posix(), real_root,
                               is_folder=True)
        if refused is not None:
            problems.append(refused)
    for path in files:
        rel = path.relative_to(root).as_posix()
        shown = prefix + rel
        if path.is_symlink():
            refused = link_problem(path, shown, real_root)
            if refused is not None:
                problems.append(refused)
                continue
        data = read_bytes(path, shown, problems)
        if data is None:
            continue
        content_key = memo_key(folder, shown, rel, data) if memo else ""
        cached = memo.get("parsed", content_key) if memo else None
        if cached is None:
            found: list[Problem] = []
            text = decode_text(data, shown, found)
            cached = (parse(text, Source(shown, 1), rel, found) if text is not None else None,
                      tuple(found))
            if memo:
                memo.put("parsed", content_key, cached)
        doc, found_before = cached
        problems.extend(found_before)
        if doc is not None:
            docs.append(doc)
    return docs


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def link_problem(path: Path, shown: str, real_root: Path, is_folder: bool = False) -> Problem | None:
    """Why the symbolic link at `path` is not followed, or None for a link to a file inside
    the archive (read like any other file). A link is never followed out of the archive, round
    a loop, or into another folder of the archive (whose files are read where they are)."""
    what = "folder" if is_folder else "file"
    here = Source(shown, 1)
    # realpath never raises: a loop or a missing target comes back unresolved, inside the archive.
    target = Path(os.path.realpath(path))
    if not _inside(target, real_root):
        return error(here, "outside-archive",
                     f"is a link to a {what} outside the archive; refusing to read it",
                     f"replace the link with the {what} itself")
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return error(here, "link-loop", "is a link that leads back to itself (a loop of links); "
                         "refusing to read it", f"replace the link with the {what} itself")
        return error(here, "unreadable", f"is a link to a {what} that does not exist",
                     f"replace the link with the {what} itself")
    if not is_folder:
        return None
    if _inside(path.parent.resolve(), target):
        return error(here, "link-loop", "is a link to a folder that contains it (a loop); "
                     "refusing to follow it", "remove the link")
    return warning(here, "linked-folder",
                   "is a link to another folder of the archive; the files there are read "
                   "where they are, not through the link", "remove the link")


def read_text(path: Path, shown: str, problems: list[Problem]) -> str | None:
    """Decode a file as UTF-8 (a BOM is dropped, CRLF becomes LF), or report why not."""
    data = read_bytes(path, shown, problems)
    return None if data is None else decode_text(data, shown, problems)


def read_bytes(path: Path, shown: str, problems: list[Problem]) -> bytes | None:
    """A file's bytes, unless it is too large, not a regular file or unreadable (reported)."""
    try:
        # O_NONBLOCK: opening a FIFO named like an article must not wait for a writer.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except OSError as exc:
        problems.append(error(Source(shown, 1), "unreadable", f"cannot be read: {exc.strerror}"))
        return None
    with os.fdopen(fd, "rb") as handle:
        try:
            info = os.fstat(fd)
            if not stat.S_ISREG(info.st_mode):
                problems.append(error(Source(shown, 1), "unreadable",
                                      "is not a regular file (a device, pipe or socket); "
                                      "refusing to read it", "replace it with a text file"))
                return None
            # Read one byte past the limit: a file that grew since fstat is still caught.
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            problems.append(error(Source(shown, 1), "unreadable", f"cannot be read: {exc.strerror}"))
            return None
    if len(data) > MAX_FILE_BYTES or info.st_size > MAX_FILE_BYTES:
        size = max(info.st_size, len(data))
        problems.append(error(Source(shown, 1), "too-large",
                              f"is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes "
                              f"({MAX_FILE_BYTES >> 20} MB)",
                              "split the text or keep only the article itself"))
        return None
    return data


_MESSAGE_LIMIT = 160  # characters of a message from PyYAML

_YAML_ONLY_BREAKS = dict.fromkeys(map(ord, "\x85\u2028\u2029"), " ")

_WIDE_BOMS = ((codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
              (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"))


def decode_text(data: bytes, shown: str, problems: list[Problem]) -> str | None:
    """Decode as UTF-8 (a BOM is dropped, CRLF becomes LF), or report why not."""
    wide = next((name for bom, name in _WIDE_BOMS if data.startswith(bom)), None)
    if wide:
        problems.append(error(Source(shown, 1), "not-utf8", f"is not UTF-8: it is saved as {wide}",
                              "save the file as UTF-8"))
        return None
    nul = data.find(b"\0")
    if nul >= 0:  # UTF-16 without a BOM (every other byte of English text), or not text at all
        problems.append(error(Source(shown, data.count(b"\n", 0, nul) + 1), "not-utf8",
                              "is not UTF-8 text: it holds a NUL byte (UTF-16, or not a text file?)",
                              "save the file as UTF-8"))
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(error(Source(shown, line), "not-utf8",
                              f"is not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                              "save the file as UTF-8"))
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A BOM starts the file when an editor saved it so; one inside it is left from joining two
    # files. Either way it is invisible, and YAML would fail on it at the start of a field.
    return text.replace("\ufeff", "")


def _parse_article(text: str, source: Source, rel: str,
                   problems: list[Problem]) -> RawDocument | None:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        problems.append(error(source, "no-front-matter",
                              "does not start with front matter (a line '---')",
                              "start the file with '---', the fields, then '---' again"))
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        problems.append(error(source, "unclosed-front-matter",
                              "front matter has no closing '---' line",
                              "add a line '---' after the last field"))
        return None
    front = "\n".join(lines[1:end])
    parsed = parse_yaml_mapping(front, source, first_line=2, problems=problems)
    if parsed is None:
        return None
    data, key_lines, item_lines = parsed
    body = "\n".join(lines[end + 1:])
    # A file that ends on the closing '---' has no body line: point at that line instead.
    return RawDocument(source, rel, data, key_lines, item_lines, body, min(end + 2, len(lines)),
                       cut=_cut(item_lines))


def _parse_entity(text: str, source: Source, rel: str,
                  problems: list[Problem]) -> RawDocument | None:
    parsed = parse_yaml_mapping(text, source, first_line=1, problems=problems)
    if parsed is None:
        return None
    data, key_lines, item_lines = parsed
    return RawDocument(source, rel, data, key_lines, item_lines, cut=_cut(item_lines))


def _cut(item_lines: dict[str, tuple[int, ...]]) -> frozenset[str]:
    return frozenset(key for key, lines in item_lines.items() if len(lines) > MAX_LIST_ITEMS)


def parse_yaml_mapping(
    text: str, source: Source, first_line: int, problems: list[Problem]
) -> tuple[dict[str, Any], dict[str, int], dict[str, tuple[int, ...]]] | None:
    """Parse YAML that must be a mapping; return it with the line of each key and list item.

    Keys are taken as written (`null: x` is the field 'null', on its own line); the values are
    built only after the node tree has been measured (see `alias_problem`).
    """
    # YAML breaks lines at NEL, LS and PS too, which no editor shows: its line numbers would
    # drift from the contributor's. Read as spaces, they cannot.
    text = text.translate(_YAML_ONLY_BREAKS)
    last_line = first_line + text.count("\n")
    loader = _Loader(text)
    pairs: list[tuple[Any, Any, Any]] = []  # (key node, value node, value)
    try:
        node = loader.get_single_node()
        # Without both '&' and '*' the text has no alias: the common case costs nothing.
        refused = (alias_problem(node, text) if node is not None and "&" in text and "*" in text
                   else None)
        if refused is not None:
            line, message = refused
            problems.append(error(Source(source.path, min(first_line + line, last_line)),
                                  "yaml-too-complex", message,
                                  "write the values out instead of repeating them with '*' aliases"))
            return None
        if isinstance(node, yaml.MappingNode) and node.tag == "tag:yaml.org,2002:map":
            loader.flatten_mapping(node)  # merge keys ('<<: *other'), as construct_mapping does
            # Only the values are built: a key is a field name, taken as written.
            pairs = [(key_node, value_node, loader.construct_object(_first_items(value_node), deep=True))
                     for key_node, value_node in node.value]
        elif node is not None:
            line = min(first_line + node.start_mark.line, last_line)
            problems.append(error(Source(source.path, line), "not-a-mapping",
                                  "front matter must be a list of 'key: value' fields", None))
            return None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        # At the end of the text the problem mark points past the last line; the context mark
        # (where the unclosed list or quote began) is where the contributor must look.
        if exc.context_mark and mark and mark.line >= text.count("\n"):
            mark = exc.context_mark
        line = min(first_line + (mark.line if mark else 0), last_line)
        # PyYAML's words may quote an anchor, a tag or a value at any length.
        what = shorten(exc.problem or "invalid YAML", _MESSAGE_LIMIT)
        if exc.context and exc.context_mark:
            what += (f" ({shorten(exc.context, _MESSAGE_LIMIT)} that starts on line "
                     f"{min(first_line + exc.context_mark.line, last_line)})")
        problems.append(error(Source(source.path, line), "yaml-syntax",
                              f"YAML does not parse: {what}",
                              "check indentation, and quote values that contain ': ' "
                              "or start with a special character"))
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses; position in UTF-8 bytes
        line = first_line + text.encode("utf-8")[:exc.position].count(b"\n")
        problems.append(error(Source(source.path, line), "yaml-syntax",
                              f"YAML does not parse: {shorten(str(exc).splitlines()[0], _MESSAGE_LIMIT)}",
                              "remove the invisible control character"))
        return None
    except yaml.YAMLError as exc:
        problems.append(error(source, "yaml-syntax",
                              f"YAML does not parse: {shorten(str(exc).splitlines()[0], _MESSAGE_LIMIT)}"))
        return None
    except RecursionError:
        problems.append(error(source, "yaml-syntax", "YAML is nested too deeply"))
        return None
    finally:
        loader.dispose()
    data: dict[str, Any] = {}
    key_lines: dict[str, int] = {}
    item_lines: dict[str, tuple[int, ...]] = {}
    for key_node, value_node, value in pairs:
        key = _key_text(key_node, text)
        line = min(first_line + key_node.start_mark.line, last_line)
        if key in key_lines:
            problems.append(error(Source(source.path, line), "duplicate-key",
                                  f"{quote(key)} is given twice (first on line {key_lines[key]})",
                                  "keep one of them"))
            continue
        data[key] = value
        key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = tuple(min(first_line + item.start_mark.line, last_line)
                                    for item in value_node.value)
            if len(value_node.value) > MAX_LIST_ITEMS:
                problems.append(error(Source(source.path, item_lines[key][MAX_LIST_ITEMS]),
                                      "too-many-items",
                                      f"{quote(key)} lists {len(value_node.value):,} items; the "
                                      f"limit is {MAX_LIST_ITEMS:,}", "keep the items that matter"))
    return data, key_lines, item_lines


def _first_items(node: Any) -> Any:
    """A list's node cut to its first MAX_LIST_ITEMS items (the rest is reported, not read)."""
    if isinstance(node, yaml.SequenceNode) and len(node.value) > MAX_LIST_ITEMS:
        return yaml.SequenceNode(node.tag, node.value[:MAX_LIST_ITEMS], node.start_mark,
                                 node.end_mark, node.flow_style)
    return node


def _key_text(node: Any, text: str) -> str:
    """A key as the contributor wrote it: `null`, `~`, `1`, `[a, b]` (the fields downstream
    are text, and a problem must name the key the contributor can find)."""
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return text[node.start_mark.index:node.end_mark.index]


# --- YAML aliases ------------------------------------------------------------------------

# An alias ('*name') repeats an anchored value ('&name') without writing it again: nine levels
# of nine aliases make some 300 bytes stand for 387 million values, which anything that walks the
# value (the schema check, a message quoting it) takes minutes and gigabytes to go through.
# So the composed node tree, where an alias is the anchored node itself, is measured first and
# nothing is built from YAML that breaks a limit.
MAX_YAML_ALIASES = 100
MAX_YAML_ALIAS_VALUES = 10_000  # values (scalars, lists, mappings) all the aliases repeat


def alias_problem(root: Any, text: str) -> tuple[int, str] | None:
    """(line offset in `text`, message) of the first alias that breaks a limit: one too many,
    one whose values take the total past MAX_YAML_ALIAS_VALUES, or one inside the value it
    names (a loop); None when the aliases are within the limits."""
    # Walk the tree in document order (the order of its events), never entering a node twice:
    # meeting a node again is meeting an alias. A node's expanded size, 1 + its children's
    # (an alias counting as its node's whole size), is known once the walk leaves the node.
    size: dict[int, int] = {}
    entered: set[int] = {id(root)}
    open_nodes: set[int] = {id(root)}
    stack: list[list[Any]] = [[root, iter(_children(root)), 1]]
    aliases = repeated = 0
    while stack:
        frame = stack[-1]
        child = next(frame[1], None)
        if child is None:
            stack.pop()
            open_nodes.discard(id(frame[0]))
            size[id(frame[0])] = frame[2]
            if stack:
                stack[-1][2] += frame[2]
            continue
        if id(child) not in entered:
            entered.add(id(child))
            open_nodes.add(id(child))
            stack.append([child, iter(_children(child)), 1])
            continue
        aliases += 1
        if id(child) in open_nodes:
            why = "YAML alias {} names a value it is inside (a loop)"
        elif aliases > MAX_YAML_ALIASES:
            why = f"too many YAML aliases: {{}} is alias {aliases:,}; the limit is {MAX_YAML_ALIASES}"
        else:
            repeated += size[id(child)]
            frame[2] += size[id(child)]
            if repeated <= MAX_YAML_ALIAS_VALUES:
                continue
            why = (f"YAML aliases repeat too much: with {{}} they repeat {repeated:,} values; "
                   f"the limit is {MAX_YAML_ALIAS_VALUES:,}")
        line, anchor = _alias_event(text, aliases)
        return line, why.format(quote("*" + anchor))
    return None


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [part for pair in node.value for part in pair]
    return []


def _alias_event(text: str, number: int) -> tuple[int, str]:
    """(line offset, anchor name) of the `number`th alias in `text`: the node tree does not
    keep where an alias was written, the event stream does."""
    loader = _Loader(text)
    try:
        seen = 0
        while (event := loader.get_event()) is not None:
            if isinstance(event, yaml.AliasEvent):
                seen += 1
                if seen == number:
                    return event.start_mark.line, str(event.anchor)
            if isinstance(event, yaml.StreamEndEvent):
                break
    finally:
        loader.dispose()
    return 0, "?"  # not reached: the text was parsed once already
