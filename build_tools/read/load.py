"""Reading the archive from disk: files -> raw front matter, body and the line of every key.

Everything that can go wrong while reading (not UTF-8, no front matter, YAML that does not
parse, duplicate keys, symlinks that leave the archive) becomes a Problem, never an exception.
"""

from __future__ import annotations

import codecs
import errno
import multiprocessing
import os
import stat
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from ..memo import Memo
from ..memo import key as memo_key
from ..problems import Problem, Source, error, warning
from .yaml_lines import MAX_LIST_ITEMS, parse_yaml_mapping

MAX_FILE_BYTES = 5 * 1024 * 1024
ARTICLE_SUFFIXES = (".md",)
ENTITY_SUFFIXES = (".yml", ".yaml")


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
    # A digest of the file's place and bytes: all the build makes of the file follows from them
    # (with the registry, the settings and the code), so a page's key may use it (render.units).
    digest: str = field(default="", compare=False, repr=False)

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
    seen: list[str] = []  # every file looked at, read or refused, for the summary line
    articles = _load_all(root, "articles", ARTICLE_SUFFIXES, parse_article, problems, memo, seen)
    entities = _load_all(root, "entities", ENTITY_SUFFIXES, parse_entity, problems, memo, seen)
    raw = RawArchive(root, tuple(articles), tuple(entities), files=len(seen))
    return raw, problems


def find_files(root: Path, folder: str, suffixes: tuple[str, ...]) -> list[Path]:
    return [Path(path) for path, _ in _walk(root / folder, suffixes)[0]]


def _walk(base: Path, suffixes: tuple[str, ...]) -> tuple[list[tuple[str, bool]], list[Path]]:
    """(files with one of `suffixes`, each with whether it is a symbolic link; links to
    folders) under `base`, hidden names left out, each list in the order of their paths' parts.

    Links to folders are not followed (as os.walk does not): they are reported instead. The
    folder's entries tell what each is, so no file is asked about apart (12,000 stats saved at
    10,000 articles).
    """
    if not base.is_dir():
        return [], []
    files: list[tuple[str, bool]] = []
    folder_links: list[str] = []
    stack = [str(base)]
    while stack:
        try:
            entries = list(os.scandir(stack.pop()))
        except OSError:
            continue  # gone or unreadable meanwhile, as os.walk leaves it
        for entry in entries:
            name = entry.name
            if entry.is_dir(follow_symlinks=False):
                stack.append(entry.path)
            elif entry.is_symlink() and _leads_to_folder(entry):
                if not name.startswith("."):
                    folder_links.append(entry.path)
            elif name.endswith(suffixes) and not name.startswith("."):
                files.append((entry.path, entry.is_symlink()))
    files.sort(key=lambda found: found[0].split(os.sep))
    folder_links.sort(key=lambda path: path.split(os.sep))
    return files, [Path(path) for path in folder_links]


def _leads_to_folder(link: os.DirEntry[str]) -> bool:
    """Whether a link leads to a folder; not when it leads nowhere or round in a loop."""
    try:
        return link.is_dir()
    except OSError:
        return False


def _load_all(
    root: Path,
    folder: str,
    suffixes: tuple[str, ...],
    parse: Any,
    problems: list[Problem],
    memo: Memo | None,
    seen: list[str],
) -> list[RawDocument]:
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
    seen += [name for name, _ in files]
    for link in folder_links:
        refused = link_problem(link, prefix + link.relative_to(root).as_posix(), real_root, is_folder=True)
        if refused is not None:
            problems.append(refused)
    where = _Where(folder, len(str(base)) + 1, prefix, real_root, parse)
    first = memo is None or memo.empty()
    if first and len(files) >= PARALLEL_FROM:
        read = _read_in_workers(files, where)
    else:
        read = None
    for number, (name, is_link) in enumerate(files):
        doc, found, fresh = read[number] if read is not None else _read_file(name, is_link, where, memo)
        if memo and fresh is not None:
            _keep(memo, *fresh)
        problems.extend(found)
        if doc is not None:
            docs.append(doc)
    return docs


@dataclass(frozen=True)
class _Where:
    """What reading a file of one folder needs besides the file."""

    folder: str  # "articles" or "entities"
    start: int  # where a file's path below the folder starts in its full path
    prefix: str  # the archive's root as shown to the user, with a trailing "/" (or "")
    real_root: Path
    parse: Any


# What _read_file gives: the document (None when unreadable), the problems found reading it,
# and, when it was parsed now, its memo key and what the memo would keep of it.
_Read = tuple["RawDocument | None", list[Problem], "tuple[str, tuple[Any, ...]] | None"]


def _read_file(name: str, is_link: bool, where: _Where, memo: Memo | None) -> _Read:
    path = Path(name)
    rel = where.folder + "/" + name[where.start :].replace(os.sep, "/")
    shown = where.prefix + rel
    found: list[Problem] = []
    if is_link:
        refused = link_problem(path, shown, where.real_root)
        if refused is not None:
            return None, [refused], None
    data = read_bytes(path, shown, found)
    if data is None:
        return None, found, None
    content_key = memo_key(where.folder, shown, rel, data)
    cached = memo.get("parsed", content_key) if memo else None
    fresh = None
    if cached is None:
        parsing: list[Problem] = []
        text = decode_text(data, shown, parsing)
        parsed = where.parse(text, Source(shown, 1), rel, parsing) if text is not None else None
        cached = (replace(parsed, digest=content_key) if parsed else None, tuple(parsing), False)
        fresh = (content_key, cached)
    elif cached[2]:  # the body was dropped: read again from the bytes it was parsed from
        text = decode_text(data, shown, [])
        assert text is not None and cached[0] is not None
        cached = (replace(cached[0], body=article_body(text)), cached[1], False)
    return cached[0], [*found, *cached[1]], fresh


def _keep(memo: Memo, content_key: str, cached: tuple[Any, ...]) -> None:
    # Kept without its body, which the file holds: the memo is a third of the size.
    parsed, dropped = cached[0], bool(cached[0] and cached[0].body)
    memo.put(
        "parsed",
        content_key,
        (replace(parsed, body="") if parsed and dropped else parsed, cached[1], dropped),
    )


PARALLEL_FROM = 1000  # files; below this a second process costs more than it saves
_SHARED: dict[str, Any] = {}  # what the forked readers inherit instead of a pickled copy


def _read_span(span: tuple[int, int]) -> list[_Read]:
    files, where = _SHARED["files"], _SHARED["where"]
    return [_read_file(name, is_link, where, None) for name, is_link in files[span[0] : span[1]]]


def _read_in_workers(files: list[tuple[str, bool]], where: _Where) -> list[_Read] | None:
    """_read_file of every file, in two forked processes, in the files' order: on a first build
    reading and parsing 10,000 articles was 2.7 s of one core. None where processes cannot be
    forked, or there is one core."""
    workers = min(2, os.cpu_count() or 1)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return None
    step = max(1, min(250, len(files) // 8))
    spans = [(start, min(start + step, len(files))) for start in range(0, len(files), step)]
    _SHARED.update(files=files, where=where)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            return [read for part in pool.imap(_read_span, spans) for read in part]
    finally:
        _SHARED.clear()


def is_inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def link_problem(path: Path, shown: str, real_root: Path, is_folder: bool = False) -> Problem | None:
    """Why the symbolic link at `path` is not followed, or None for a link to a file inside
    the archive (read like any other file). A link is never followed out of the archive, round
    a loop, or into another folder of the archive (whose files are read where they are)."""
    what = "folder" if is_folder else "file"
    here = Source(shown, 1)
    # realpath never raises: a loop or a missing target comes back unresolved, inside the archive.
    target = Path(os.path.realpath(path))
    if not is_inside(target, real_root):
        return error(
            here,
            "outside-archive",
            f"is a link to a {what} outside the archive; refusing to read it",
            f"replace the link with the {what} itself",
        )
    try:
        os.stat(path)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return error(
                here,
                "link-loop",
                "is a link that leads back to itself (a loop of links); refusing to read it",
                f"replace the link with the {what} itself",
            )
        return error(
            here,
            "unreadable",
            f"is a link to a {what} that does not exist",
            f"replace the link with the {what} itself",
        )
    if not is_folder:
        return None
    if is_inside(path.parent.resolve(), target):
        return error(
            here,
            "link-loop",
            "is a link to a folder that contains it (a loop); refusing to follow it",
            "remove the link",
        )
    return warning(
        here,
        "linked-folder",
        "is a link to another folder of the archive; the files there are read "
        "where they are, not through the link",
        "remove the link",
    )


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
                problems.append(
                    error(
                        Source(shown, 1),
                        "unreadable",
                        "is not a regular file (a device, pipe or socket); refusing to read it",
                        "replace it with a text file",
                    )
                )
                return None
            # Read one byte past the limit: a file that grew since fstat is still caught.
            data = handle.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            problems.append(error(Source(shown, 1), "unreadable", f"cannot be read: {exc.strerror}"))
            return None
    if len(data) > MAX_FILE_BYTES or info.st_size > MAX_FILE_BYTES:
        size = max(info.st_size, len(data))
        problems.append(
            error(
                Source(shown, 1),
                "too-large",
                f"is {size:,} bytes; the limit is {MAX_FILE_BYTES:,} bytes ({MAX_FILE_BYTES >> 20} MB)",
                "split the text or keep only the article itself",
            )
        )
        return None
    return data


_WIDE_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode_text(data: bytes, shown: str, problems: list[Problem]) -> str | None:
    """Decode as UTF-8 (a BOM is dropped, CRLF becomes LF), or report why not."""
    wide = next((name for bom, name in _WIDE_BOMS if data.startswith(bom)), None)
    if wide:
        problems.append(
            error(
                Source(shown, 1), "not-utf8", f"is not UTF-8: it is saved as {wide}", "save the file as UTF-8"
            )
        )
        return None
    nul = data.find(b"\0")
    if nul >= 0:  # UTF-16 without a BOM (every other byte of English text), or not text at all
        problems.append(
            error(
                Source(shown, data.count(b"\n", 0, nul) + 1),
                "not-utf8",
                "is not UTF-8 text: it holds a NUL byte (UTF-16, or not a text file?)",
                "save the file as UTF-8",
            )
        )
        return None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        problems.append(
            error(
                Source(shown, line),
                "not-utf8",
                f"is not UTF-8: byte 0x{data[exc.start]:02x} cannot be decoded",
                "save the file as UTF-8",
            )
        )
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # A BOM starts the file when an editor saved it so; one inside it is left from joining two
    # files. Either way it is invisible, and YAML would fail on it at the start of a field.
    return text.replace("\ufeff", "")


def article_body(text: str) -> str:
    """The text after the front matter of an article file that parse_article read."""
    lines = text.split("\n")
    end = next(i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "..."))
    return "\n".join(lines[end + 1 :])


def parse_article(text: str, source: Source, rel: str, problems: list[Problem]) -> RawDocument | None:
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        problems.append(
            error(
                source,
                "no-front-matter",
                "does not start with front matter (a line '---')",
                "start the file with '---', the fields, then '---' again",
            )
        )
        return None
    end = next((i for i in range(1, len(lines)) if lines[i].rstrip() in ("---", "...")), None)
    if end is None:
        problems.append(
            error(
                source,
                "unclosed-front-matter",
                "front matter has no closing '---' line",
                "add a line '---' after the last field",
            )
        )
        return None
    front = "\n".join(lines[1:end])
    parsed = parse_yaml_mapping(front, source, first_line=2, problems=problems)
    if parsed is None:
        return None
    data, key_lines, item_lines = parsed
    body = "\n".join(lines[end + 1 :])
    # A file that ends on the closing '---' has no body line: point at that line instead.
    return RawDocument(
        source, rel, data, key_lines, item_lines, body, min(end + 2, len(lines)), cut=_cut(item_lines)
    )


def parse_entity(text: str, source: Source, rel: str, problems: list[Problem]) -> RawDocument | None:
    parsed = parse_yaml_mapping(text, source, first_line=1, problems=problems)
    if parsed is None:
        return None
    data, key_lines, item_lines = parsed
    return RawDocument(source, rel, data, key_lines, item_lines, cut=_cut(item_lines))


def _cut(item_lines: dict[str, tuple[int, ...]]) -> frozenset[str]:
    return frozenset(key for key, lines in item_lines.items() if len(lines) > MAX_LIST_ITEMS)
