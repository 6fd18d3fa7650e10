"""A real `streamlit run` server and Debian's Chromium, driven by Playwright.

The server runs on 127.0.0.1 with a fresh SQLite database of its own; tests seed
data straight into that database with office_core and then click through the UI.
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from office_core import accounts
from office_core.accounts import Actor
from office_core.db import Database
from tests.conftest import PASSWORD
from tests.e2e.browser import sign_in
from tests.ui.sales_seed import seed_catalogue

REPO = Path(__file__).resolve().parents[2]
CHROMIUM = Path(os.environ.get("DWIGITAL_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = REPO / "test-artifacts" / "e2e"
STARTUP_SECONDS = 60
MANAGER = "pemilik"


@dataclass
class Server:
    """A running app: where to reach it and the database it uses."""

    url: str
    db: Database
    log: Path


def pytest_collection_modifyitems(items) -> None:
    """Mark every test of this folder `e2e`, so `-m e2e` selects them all."""
    here = Path(__file__).parent
    for item in items:
        if here in item.path.parents:
            item.add_marker(pytest.mark.e2e)


def free_port() -> int:
    """Return a port nobody listens on now; the OS picks it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_command(port: int) -> list[str]:
    """Start the app the way scripts/start.sh does, on a port of our own."""
    found = re.search(
        r"streamlit run (\S+)", (REPO / "scripts" / "start.sh").read_text()
    )
    assert found, "scripts/start.sh no longer says `streamlit run <script>`"
    streamlit = Path(sys.executable).with_name("streamlit")
    return [
        str(streamlit), "run", found.group(1),
        "--server.address", "127.0.0.1",
        "--server.port", str(port),
        "--server.headless", "true",
    ]  # fmt: skip


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"streamlit exited early:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    pytest.fail(f"streamlit did not answer in {STARTUP_SECONDS}s")


@contextmanager
def running_server(folder: Path) -> Iterator[Server]:
    """Run the app on a free port with an empty database in `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{folder / 'office.db'}"
    database = Database(url)
    database.migrate()
    port = free_port()
    log = folder / "streamlit.log"
    env = os.environ | {"DWIGITAL_DATABASE_URL": url}
    with log.open("w") as output:
        process = subprocess.Popen(
            server_command(port), cwd=REPO, env=env, stdout=output, stderr=output
        )
    address = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(address, process, log)
        yield Server(address, database, log)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        database.dispose()


@pytest.fixture(scope="session", autouse=True)
def fresh_artifacts() -> None:
    """Start each run with an empty screenshot folder."""
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)


@pytest.fixture(scope="session")
def server(tmp_path_factory) -> Iterator[Server]:
    """One app server for the whole session."""
    with running_server(tmp_path_factory.mktemp("e2e-server")) as running:
        yield running


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's Chromium; Playwright's own browser download is never used."""
    if not CHROMIUM.exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium "
            "(apt-get install -y chromium) or run scripts/test.sh, which does."
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield launched
        launched.close()


@contextmanager
def browser_page(browser: Browser, request, storage_state=None) -> Iterator[Page]:
    """A fresh browser context (a new Streamlit session); screenshot on failure."""
    context = browser.new_context(
        viewport={"width": 1400, "height": 1000},
        locale="id-ID",
        storage_state=storage_state,
    )
    context.set_default_timeout(20_000)
    opened = context.new_page()
    try:
        yield opened
    finally:
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            screenshot(opened, f"FAILED-{request.node.name}")
        context.close()


@pytest.fixture
def page(browser, request) -> Iterator[Page]:
    """A browser tab nobody is signed in on."""
    with browser_page(browser, request) as opened:
        yield opened


@pytest.fixture(scope="session")
def cookies() -> dict[str, dict]:
    """Each account's browser state after it signed in through the form once."""
    return {}


def signed_in_page(browser, request, server, cookies, username) -> Iterator[Page]:
    """A tab signed in as `username`; the form is filled on first use only."""
    if username not in cookies:
        with browser_page(browser, request) as first:
            sign_in(first, server.url, username)
            cookies[username] = first.context.storage_state()
    with browser_page(browser, request, cookies[username]) as opened:
        sign_in(opened, server.url, username)  # the cookie signs it in
        yield opened


@pytest.fixture
def admin_page(browser, request, server, admin, cookies) -> Iterator[Page]:
    yield from signed_in_page(browser, request, server, cookies, admin.username)


@pytest.fixture
def manager_page(browser, request, server, manager, cookies) -> Iterator[Page]:
    yield from signed_in_page(browser, request, server, cookies, manager.username)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Keep each phase's report on the test, so fixtures can see a failure."""
    report = yield
    setattr(item, f"rep_{report.when}", report)
    return report


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under test-artifacts/e2e/."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(scope="session")
def admin(server) -> Actor:
    """The first admin of the session's server, created once."""
    with server.db.transaction() as session:
        if accounts.needs_first_admin(session):
            return accounts.create_first_admin(session, "admin", PASSWORD)
        return accounts.sign_in(session, "admin", PASSWORD)


@pytest.fixture(scope="session")
def manager(server, admin) -> Actor:
    """A management account on the session's server."""
    with server.db.transaction() as session:
        return accounts.create_user(
            session, admin, MANAGER, PASSWORD, accounts.MANAGEMENT
        )


@pytest.fixture(scope="session")
def catalogue(server, admin) -> dict[str, int]:
    """The legacy catalogue's products, by code."""
    return seed_catalogue(server.db, admin)
