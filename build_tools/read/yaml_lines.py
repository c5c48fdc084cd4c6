"""YAML with a line number for every key and list item, read safely: no implicit timestamps,
aliases measured before anything is built from them, lists cut at MAX_LIST_ITEMS."""

from __future__ import annotations

from typing import Any

import yaml

from ..problems import Problem, Source, error, quote, shorten

# Items in one list of a file's fields: far more than any article or entity needs, and few
# enough that a few megabytes of items cannot take the check minutes, item by item.
MAX_LIST_ITEMS = 1_000

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
                None, None, f"{what} cannot be read as {tag}", node.start_mark
            ) from None


_Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


_MESSAGE_LIMIT = 160  # characters of a message from PyYAML

_YAML_ONLY_BREAKS = dict.fromkeys(map(ord, "\x85\u2028\u2029"), " ")


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
        refused = alias_problem(node, text) if node is not None and "&" in text and "*" in text else None
        if refused is not None:
            line, message = refused
            problems.append(
                error(
                    Source(source.path, min(first_line + line, last_line)),
                    "yaml-too-complex",
                    message,
                    "write the values out instead of repeating them with '*' aliases",
                )
            )
            return None
        if isinstance(node, yaml.MappingNode) and node.tag == "tag:yaml.org,2002:map":
            loader.flatten_mapping(node)  # merge keys ('<<: *other'), as construct_mapping does
            # Only the values are built: a key is a field name, taken as written.
            pairs = [
                (key_node, value_node, loader.construct_object(_first_items(value_node), deep=True))
                for key_node, value_node in node.value
            ]
        elif node is not None:
            line = min(first_line + node.start_mark.line, last_line)
            problems.append(
                error(
                    Source(source.path, line),
                    "not-a-mapping",
                    "front matter must be a list of 'key: value' fields",
                    None,
                )
            )
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
            what += (
                f" ({shorten(exc.context, _MESSAGE_LIMIT)} that starts on line "
                f"{min(first_line + exc.context_mark.line, last_line)})"
            )
        problems.append(
            error(
                Source(source.path, line),
                "yaml-syntax",
                f"YAML does not parse: {what}",
                "check indentation, and quote values that contain ': ' or start with a special character",
            )
        )
        return None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses; position in UTF-8 bytes
        line = first_line + text.encode("utf-8")[: exc.position].count(b"\n")
        problems.append(
            error(
                Source(source.path, line),
                "yaml-syntax",
                f"YAML does not parse: {shorten(str(exc).splitlines()[0], _MESSAGE_LIMIT)}",
                "remove the invisible control character",
            )
        )
        return None
    except yaml.YAMLError as exc:
        problems.append(
            error(
                source,
                "yaml-syntax",
                f"YAML does not parse: {shorten(str(exc).splitlines()[0], _MESSAGE_LIMIT)}",
            )
        )
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
            problems.append(
                error(
                    Source(source.path, line),
                    "duplicate-key",
                    f"{quote(key)} is given twice (first on line {key_lines[key]})",
                    "keep one of them",
                )
            )
            continue
        data[key] = value
        key_lines[key] = line
        if isinstance(value_node, yaml.SequenceNode):
            item_lines[key] = tuple(
                min(first_line + item.start_mark.line, last_line) for item in value_node.value
            )
            if len(value_node.value) > MAX_LIST_ITEMS:
                problems.append(
                    error(
                        Source(source.path, item_lines[key][MAX_LIST_ITEMS]),
                        "too-many-items",
                        f"{quote(key)} lists {len(value_node.value):,} items; the "
                        f"limit is {MAX_LIST_ITEMS:,}",
                        "keep the items that matter",
                    )
                )
    return data, key_lines, item_lines


def _first_items(node: Any) -> Any:
    """A list's node cut to its first MAX_LIST_ITEMS items (the rest is reported, not read)."""
    if isinstance(node, yaml.SequenceNode) and len(node.value) > MAX_LIST_ITEMS:
        return yaml.SequenceNode(
            node.tag, node.value[:MAX_LIST_ITEMS], node.start_mark, node.end_mark, node.flow_style
        )
    return node


def _key_text(node: Any, text: str) -> str:
    """A key as the contributor wrote it: `null`, `~`, `1`, `[a, b]` (the fields downstream
    are text, and a problem must name the key the contributor can find)."""
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    return text[node.start_mark.index : node.end_mark.index]


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
            why = (
                f"YAML aliases repeat too much: with {{}} they repeat {repeated:,} values; "
                f"the limit is {MAX_YAML_ALIAS_VALUES:,}"
            )
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
