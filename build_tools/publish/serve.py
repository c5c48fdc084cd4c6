"""Previewing while editing: the site built as `archive build` builds it (incremental, in the
same site folder, pages filled on every core), served on 127.0.0.1, and built again through the
same path whenever a file under the archive, the docs or mkdocs.yml changes; MkDocs' live-reload
server then reloads the open pages. A build that fails (a problem in an article) leaves the last
good site served and says why."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ..check import CheckReport
from .build import BuildError, BuiltSite, build, watched_paths

__all__ = ["serve"]


def serve(
    config_file: Path,
    *,
    archive: Path | None,
    site_dir: Path | None,
    host: str,
    port: int,
    checked: Callable[[CheckReport], None],
    built: Callable[[BuiltSite | None], None],
    failed: Callable[[str], None],
) -> None:
    """Build, serve `site_dir` at http://host:port/ and rebuild on every change until ^C."""
    from mkdocs.config import load_config
    from mkdocs.livereload import LiveReloadServer

    def rebuild() -> None:
        try:
            built(build(config_file, archive=archive, site_dir=site_dir, checked=checked))
        except BuildError as exc:
            failed(str(exc))

    rebuild()
    folder = site_dir or Path(load_config(str(config_file)).site_dir)
    server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(folder.absolute()))
    for path in watched_paths(config_file, archive):
        server.watch(str(path))
    try:
        server.serve()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
