"""Browser fixtures: the bundled archive built once, served on 127.0.0.1, and headless Chromium.

Chromium is Debian's (`make test` installs it); these tests never download a browser. Without
it they fail, not skip, so a missing browser cannot pass for a green run.
"""

from __future__ import annotations

import functools
import http.server
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner
from playwright.sync_api import Browser, BrowserContext, Dialog, Page, sync_playwright

from build_tools.check import check_archive
from build_tools.cli import main
from build_tools.model import Article

REPO = Path(__file__).resolve().parents[2]
SEED_DAY = "2022-03-30"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # A request to any other host fails at once instead of leaving the machine; the tests
    # still see it, because the request event fires before name resolution.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
TIMEOUT_MS = 15_000


@dataclass(frozen=True)
class Site:
    folder: Path
    http_url: str  # ends with /

    def url(self, scheme: str, path: str = "index.html") -> str:
        """The address of a built page over http or from the file system."""
        if scheme == "http":
            return self.http_url + path
        assert scheme == "file", scheme
        return (self.folder / path).as_uri()


SEED = "articles/2022/03/russia-says-no-breakthrough-at-istanbul-peace-talks.md"


@pytest.fixture(scope="session")
def seed_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled registry and its first article alone: the pages the browser tests read do
    not change as the bundled archive grows."""
    root = tmp_path_factory.mktemp("seed") / "archive"
    shutil.copytree(REPO / "archive" / "entities", root / "entities")
    (root / SEED).parent.mkdir(parents=True)
    shutil.copy(REPO / "archive" / SEED, root / SEED)
    return root


@pytest.fixture(scope="session")
def seed_article(seed_archive: Path) -> Article:
    """The bundled seed article: published on 2022-03-30 and naming Dmitry Peskov."""
    archive = check_archive(seed_archive).archive
    for article in archive.articles:
        if article.date.isoformat() == SEED_DAY and "Peskov" in article.body:
            return article
    pytest.fail(
        f"the bundled archive has no article of {SEED_DAY} that names Peskov; "
        "the browser tests are written against that seed article"
    )


@pytest.fixture(scope="session")
def site_folder(tmp_path_factory: pytest.TempPathFactory, seed_archive: Path) -> Path:
    """The seed archive built once per session, through `archive build` with the bundled
    mkdocs.yml."""
    folder = tmp_path_factory.mktemp("browser")
    build_site(seed_archive, folder / "site", folder / "cache")
    return folder / "site"


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="session")
def site(site_folder: Path) -> Iterator[Site]:
    """The built site, also served over http on 127.0.0.1 (a free port) for the session."""
    with serving(site_folder) as served:
        yield served


def chromium_path() -> str | None:
    found = shutil.which("chromium")
    if found:
        return found
    return "/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium driven by Playwright."""
    executable = chromium_path()
    if executable is None:
        pytest.fail(
            "Chromium is not installed, so the browser tests cannot run. `make test` "
            "installs it (Debian's `chromium` package: apt-get install chromium).",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh page in its own browser context (no cache or storage shared between tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def requests_seen(page: Page) -> list[str]:
    """Every URL the page (its frames included) and its context requested, in order."""
    seen: list[str] = []
    page.context.on("request", lambda request: seen.append(request.url))
    return seen


# --- hostile archives: written from a dict, built, served; what a page did ---------------------
# (tests/browser/test_hostile_templates.py and test_hostile_property.py)


def write_archive(root: Path, files: dict[str, str]) -> Path:
    """An archive folder under `root` holding `files` ({path under the archive: text})."""
    for rel, text in files.items():
        target = root / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def build_site(archive: Path, site_dir: Path, cache_dir: Path) -> None:
    """`archive build` of `archive` into `site_dir` (the bundled mkdocs.yml); fails the test,
    with the command's output, when the build fails."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARCHIVE_CACHE_DIR", str(cache_dir))
        result = CliRunner().invoke(
            main,
            [
                "build",
                "--config",
                str(REPO / "mkdocs.yml"),
                "--archive",
                str(archive),
                "--site-dir",
                str(site_dir),
            ],
        )
    if result.exit_code != 0 or "Traceback" in result.output:
        pytest.fail(
            f"`archive build` of {archive} failed with exit code {result.exit_code}:\n{result.output}",
            pytrace=False,
        )


@contextmanager
def serving(folder: Path) -> Iterator[Site]:
    """`folder` served over http on 127.0.0.1 (a free port) while the block runs."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name="hostile-site-server", daemon=True)
    thread.start()
    try:
        yield Site(folder, f"http://127.0.0.1:{server.server_address[1]}/")
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(scope="module")
def archive_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[dict[str, str]], Site]]:
    """A factory: `archive_site(files)` writes an archive from {path: text}, builds it through
    `archive build` and serves it on 127.0.0.1 until the module's tests are done."""
    with ExitStack() as stack:

        def make(files: dict[str, str]) -> Site:
            folder = tmp_path_factory.mktemp("archive-site")
            build_site(write_archive(folder / "archive", files), folder / "site", folder / "cache")
            return stack.enter_context(serving(folder / "site"))

        yield make


@dataclass
class Watch:
    """What the pages of one browser context did: the dialogs they opened (each dismissed at
    once), what they wrote to the console, the errors their scripts threw, every URL they
    requested. `clear()` starts afresh, e.g. before the next page."""

    dialogs: list[str] = field(default_factory=list)
    console: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def attach(self, context: BrowserContext) -> Watch:
        context.on("request", lambda request: self.requests.append(request.url))
        context.on("page", self._attach_page)
        for opened in context.pages:
            self._attach_page(opened)
        return self

    def _attach_page(self, page: Page) -> None:
        page.on("dialog", self._dismiss)
        page.on("console", lambda message: self.console.append(f"{message.type}: {message.text}"))
        page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _dismiss(self, dialog: Dialog) -> None:
        self.dialogs.append(f"{dialog.type}: {dialog.message}")
        dialog.dismiss()

    def clear(self) -> None:
        for seen in (self.dialogs, self.console, self.errors, self.requests):
            seen.clear()
