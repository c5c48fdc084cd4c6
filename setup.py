"""The one compiled part: build_tools/search/fts5_bm25.c, a SQLite extension that `archive search`
loads to rank without recounting (see that file). Optional: without a C compiler and SQLite's
headers (Debian: gcc, libsqlite3-dev) the install goes on without it, and searches rank with
SQLite's own bm25(), the same results, slower on phrases of common words."""
from setuptools import Extension, setup

setup(ext_modules=[Extension(
    "build_tools.search._fts5_bm25", ["build_tools/search/fts5_bm25.c"],
    libraries=["m"], extra_compile_args=["-O2", "-ffp-contract=off"], optional=True)])
