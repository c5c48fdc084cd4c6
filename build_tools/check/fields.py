"""Per-file rules for front matter and entity files: the JSON Schemas in schema/ (which editors
can use too), the field-count limit, and what a schema cannot say about a value (control and
invisible characters, blank text, numbers that are not finite)."""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import unicodedata
from collections.abc import Callable
from dataclasses import replace
from functools import cache
from importlib import resources
from typing import Any

import fastjsonschema
import jsonschema

from ..problems import Problem, Source, did_you_mean, error, quote, shorten, warning
from ..read.load import RawDocument

# Far more than any article or entity needs, and few enough that a file of a few megabytes of
# fields cannot make the check write a problem for each of them for minutes.
MAX_FIELDS = 100


@cache
def load_schema(name: str) -> dict[str, Any]:
    """The schema `name` ('article', 'entity') as shipped, or one made by entity_schema."""
    if name in _MADE:
        return _MADE[name]
    text = resources.files("build_tools.check").joinpath("schema", f"{name}.schema.json").read_text("utf-8")
    return json.loads(text)


# Entity schemas for the kinds an archive configures (settings.entity_kinds), by name.
_MADE: dict[str, dict[str, Any]] = {}


def entity_schema(kinds: tuple[str, ...]) -> str:
    """The name of the entity schema whose `type` is one of `kinds`: 'entity' itself for the
    kinds it ships with, else a copy with their enum (made once per set of kinds)."""
    shipped = load_schema("entity")
    if list(kinds) == shipped["properties"]["type"]["enum"]:
        return "entity"
    name = f"entity[{','.join(kinds)}]"
    if name not in _MADE:
        schema = json.loads(json.dumps(shipped))
        schema["properties"]["type"]["enum"] = list(kinds)
        schema["properties"]["type"]["x-hint"] = f"use one of {', '.join(kinds)}"
        _MADE[name] = schema
    return name


def article_schema(groupings: tuple[str, ...]) -> str:
    """The name of the article schema that also takes the front-matter keys of `groupings`
    (each a text or a list of texts): 'article' itself when there are none."""
    if not groupings:
        return "article"
    name = f"article[{','.join(groupings)}]"
    if name not in _MADE:
        schema = json.loads(json.dumps(load_schema("article")))
        for key in groupings:
            schema["properties"][key] = {
                "anyOf": [
                    {"type": "string", "minLength": 1},
                    {"type": "array", "items": {"type": "string", "minLength": 1}},
                ],
                "description": "Terms of this archive's grouping: each gets a page.",
                "x-hint": f"write one {key}, or a list of them",
            }
        _MADE[name] = schema
    return name


@cache
def _quick_check(name: str) -> Callable[[Any], Any]:
    """The schema compiled to Python by fastjsonschema: a yes/no answer ~50 times faster than
    jsonschema, which is asked for the detailed problems only when this says no."""
    return fastjsonschema.compile(load_schema(name))


def _passes(name: str, data: Any) -> bool:
    try:
        _quick_check(name)(data)
    except Exception:  # any doubt (odd YAML types included): let jsonschema explain
        return False
    return True


@cache
def _validator(name: str) -> jsonschema.protocols.Validator:
    schema = load_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    return cls(schema)


# --- schema ------------------------------------------------------------------------------


def bounded(doc: RawDocument, schema_name: str) -> tuple[RawDocument, list[Problem]]:
    """The document with at most MAX_FIELDS fields, and the problem of one that has more: the
    fields over the limit are reported once, not each as an unknown field. (Lists are cut to
    MAX_LIST_ITEMS when read.)"""
    if len(doc.data) <= MAX_FIELDS:
        return doc, []
    extra = list(doc.data)[MAX_FIELDS]
    problem = error(
        Source(doc.source.path, doc.line_of(extra)),
        "too-many-fields",
        f"the file has {len(doc.data):,} fields; the limit is {MAX_FIELDS}",
        "keep only the fields the format knows",
    )
    known = load_schema(schema_name)["properties"]
    return replace(doc, data={k: v for k, v in doc.data.items() if k in known}), [problem]


_TYPE_WORDS = {
    "string": "text",
    "array": "a list",
    "object": "a mapping",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "null": "empty",
}


def _describe(value: Any) -> str:
    """What a YAML value is, in a contributor's words (explicit tags such as `!!binary` or
    `!!timestamp` give values other than text, numbers, lists and mappings)."""
    if isinstance(value, bool):
        return "true/false"
    if value is None:
        return "empty"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, str):
        return "text"
    if isinstance(value, bytes):
        return "binary data (a '!!binary' value)"
    if isinstance(value, dt.datetime):
        return "a timestamp (a '!!timestamp' value)"
    if isinstance(value, dt.date):
        return "a date (a '!!timestamp' value)"
    if isinstance(value, (set, frozenset)):
        return "a set (a '!!set' value)"
    return f"a value of type {type(value).__name__}"


def schema_problems(doc: RawDocument, schema_name: str) -> list[Problem]:
    """Every way `doc.data` breaks its schema, as Problems on the right lines."""
    if _passes(schema_name, doc.data):
        return []
    schema = load_schema(schema_name)
    props: dict[str, Any] = schema["properties"]
    problems = []
    for err in _validator(schema_name).iter_errors(doc.data):
        path = list(err.absolute_path)
        key = str(path[0]) if path else None
        item = path[1] if len(path) > 1 and isinstance(path[1], int) else None
        line = doc.line_of(key, item) if key else doc.source.line
        where = Source(doc.source.path, line)
        spec = props.get(key or "", {})
        hint = spec.get("x-hint")
        label = f"'{key}'" if item is None else f"item {item + 1} of '{key}'"
        if err.validator in ("minimum", "maximum") and _non_finite(err.instance):
            continue  # said by value_problems, which finds a NaN too (it passes any range)
        if err.validator == "required":
            missing = re.findall(r"'([^']+)' is a required property", err.message)
            name = missing[0] if missing else err.message
            described = props.get(name, {}).get("description")
            problems.append(
                error(
                    where,
                    "missing-field",
                    f"required field '{name}' is missing",
                    f"add a line '{name}: …'" + (f" ({described.rstrip('.')})" if described else ""),
                )
            )
        elif err.validator == "additionalProperties" and not path:
            for extra in sorted(set(doc.data) - set(props)):
                hint = did_you_mean(extra, props) or f"known fields: {', '.join(props)}"
                problems.append(
                    warning(
                        Source(doc.source.path, doc.line_of(extra)),
                        "unknown-key",
                        f"unknown field {quote(extra)}",
                        hint,
                    )
                )
        elif err.validator in ("type", "anyOf") and key:
            expected = spec.get("type") or "text or a list"
            want = _TYPE_WORDS.get(expected, expected) if isinstance(expected, str) else expected
            if item is not None:
                items = spec.get("items", {})
                # A tuple schema ([latitude, longitude]) gives one spec per position.
                items = (items[item] if item < len(items) else {}) if isinstance(items, list) else items
                want = _TYPE_WORDS.get(items.get("type", ""), "text")
            if isinstance(err.instance, (bytes, dt.date, set, frozenset)):
                hint = "write it without a '!!' tag" + (f"; {hint}" if hint else "")
            problems.append(
                error(where, "wrong-type", f"{label} must be {want}, not {_describe(err.instance)}", hint)
            )
        elif err.validator == "enum" and key:
            problems.append(error(where, "bad-value", f"'{key}' cannot be {quote(err.instance)}", hint))
        elif key:
            value = err.instance if isinstance(err.instance, (str, int, float)) else None
            # Quoted as written: repr would double every backslash of a Windows-style path.
            if value == "":
                problems.append(error(where, "bad-value", f"{label} is empty; it needs a value", hint))
            else:
                shown = f" value {quote(value)}" if value is not None else " value"
                problems.append(error(where, "bad-value", f"{label} has an invalid{shown}", hint))
        else:
            problems.append(error(where, "bad-value", shorten(err.message, 160)))
    return problems


def _non_finite(value: Any) -> bool:
    return isinstance(value, float) and not math.isfinite(value)


# --- what the schema cannot say about a value --------------------------------------------

# C0 controls but tab and line feed, DEL, and C1 controls: invisible in an editor, and ESC
# or CSI can rewrite what a terminal shows when a problem or a page quotes the value.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROL_NAMES = {
    0x00: "null",
    0x07: "bell",
    0x08: "backspace",
    0x0B: "vertical tab",
    0x0C: "form feed",
    0x0D: "carriage return",
    0x1B: "escape",
    0x7F: "delete",
    0x85: "next line",
    0x9B: "control sequence introducer",
}
# Characters that show nothing: a value made only of them is blank, whatever its length.
_INVISIBLE_CATEGORIES = frozenset({"Zs", "Zl", "Zp", "Cc", "Cf"})
_FILLERS = frozenset("\u115f\u1160\u2800\u3164\uffa0")


def is_blank(text: str) -> bool:
    """Whether `text` shows nothing: only spaces, zero-width and other invisible characters."""
    return all(c.isspace() or c in _FILLERS or unicodedata.category(c) in _INVISIBLE_CATEGORIES for c in text)


def value_problems(doc: RawDocument, schema_name: str, failed: set[int]) -> list[Problem]:
    """Problems with the fields' values that JSON Schema cannot express: control characters,
    text that is blank though it looks filled in, numbers that are not finite. Lines in
    `failed` already have a schema error and are left alone."""
    props: dict[str, Any] = load_schema(schema_name)["properties"]
    problems = []
    for key, value in doc.data.items():
        spec = props.get(key)
        if spec is None:
            continue  # an unknown field: warned about, and never used
        items = enumerate(value) if isinstance(value, list) else ((None, value),)
        for item, part in items:
            # What is wrong first (almost always nothing), then where: most values are fine.
            if isinstance(part, str):
                control = _CONTROL.search(part)
                if not control and not (part and _needs_text(spec, item) and is_blank(part)):
                    continue
            elif _non_finite(part):
                control = None
            else:
                continue
            line = doc.line_of(key, item)
            if line in failed:
                continue
            where = Source(doc.source.path, line)
            label = f"'{key}'" if item is None else f"item {item + 1} of '{key}'"
            if control:
                code = ord(control.group())
                name = _CONTROL_NAMES.get(code)
                problems.append(
                    error(
                        where,
                        "control-character",
                        f"{label} holds the control character \\x{code:02x}" + (f" ({name})" if name else ""),
                        "remove it: control characters are invisible, and some change what a terminal shows",
                    )
                )
            elif isinstance(part, str):
                problems.append(
                    error(
                        where,
                        "bad-value",
                        f"{label} is blank (only spaces or invisible characters); it needs a value",
                    )
                )
            else:
                word = "not a number" if math.isnan(part) else "infinite"
                problems.append(
                    error(where, "bad-value", f"{label} is {word} ({_yaml_float(part)})", spec.get("x-hint"))
                )
    return problems


def _needs_text(spec: dict[str, Any], item: int | None) -> bool:
    """Whether the field (or, for a list item, its items) must hold some text: a minLength of
    1 in the schema (in any branch of an anyOf, as `credits` has)."""
    for branch in spec.get("anyOf", [spec]):
        target = branch.get("items") if item is not None else branch
        if isinstance(target, dict) and target.get("minLength", 0) >= 1:
            return True
    return False


def _yaml_float(value: float) -> str:
    return ".nan" if math.isnan(value) else ".inf" if value > 0 else "-.inf"
