"""The theme's templates, compiled once and kept in the site's cache folder between builds."""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import jinja2
import mkdocs
from jinja2 import Environment, FileSystemBytecodeCache


def template_cache(env: Environment, folder: Path) -> FileSystemBytecodeCache:
    """The theme's templates compiled once, kept in the site's cache folder: compiling the 36 of
    them was a quarter of a second of every build (and of each process rendering pages). Jinja
    recompiles a template whose source changed; the folder is named by what else the compiled
    code follows from: Jinja's and MkDocs' versions and the environment's options."""
    options = (
        jinja2.__version__,
        mkdocs.__version__,
        sys.version,
        repr(env.autoescape),
        sorted(env.extensions),
        sorted(env.filters),
        sorted(env.tests),
        (env.block_start_string, env.variable_start_string, env.comment_start_string),
        (env.trim_blocks, env.lstrip_blocks, env.keep_trailing_newline, env.newline_sequence),
        (env.line_statement_prefix, env.line_comment_prefix, env.optimized),
    )
    key = hashlib.blake2b(repr(options).encode(), digest_size=6).hexdigest()
    where = folder / f"templates-{key}"
    where.mkdir(parents=True, exist_ok=True)
    return FileSystemBytecodeCache(str(where))
