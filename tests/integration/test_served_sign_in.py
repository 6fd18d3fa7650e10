"""The sign-in routes as served by `streamlit run server.py` (scripts/start.sh)."""

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx2 as httpx
import pytest

from office_core import sessions
from tests.conftest import PASSWORD, SECRET_KEY, make_admin

REPO = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 60


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_healthy(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"server exited early:\n{log.read_text()[-3000:]}")
        try:
            if httpx.get(f"{url}/_stcore/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.3)
    pytest.fail(f"server did not answer in {STARTUP_SECONDS}s")


@pytest.fixture
def served(sqlite_db, tmp_path) -> Iterator[tuple[str, Path]]:
    """A real server on a free loopback port; yields its URL and its log."""
    make_admin(sqlite_db)
    port = _free_port()
    log = tmp_path / "server.log"
    env = {
        **os.environ,
        "DWIGITAL_DATABASE_URL": sqlite_db.url,
        "DWIGITAL_SECRET_KEY": SECRET_KEY,
    }
    streamlit = Path(sys.executable).with_name("streamlit")
    command = [str(streamlit), "run", "server.py", "--server.port", str(port)]
    with log.open("w") as output:
        process = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT
        )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_healthy(url, process, log)
        yield url, log
    finally:
        process.terminate()
        process.wait(timeout=20)


def test_the_served_app_signs_in_and_out_with_an_http_only_cookie(served):
    url, log = served
    with httpx.Client(base_url=url, headers={"origin": url}) as browser:
        assert browser.get("/").status_code == 200

        signed_in = browser.post(
            "/auth/masuk", data={"username": "admin", "password": PASSWORD}
        )
        cookie = signed_in.headers["set-cookie"]
        signed_out = browser.post("/auth/keluar")

    assert (signed_in.status_code, signed_in.headers["location"]) == (303, "/")
    assert cookie.startswith(f"{sessions.COOKIE_NAME}=v1.")
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert signed_out.headers["location"] == "/?keluar=1"
    assert "Max-Age=0" in signed_out.headers["set-cookie"]
    assert PASSWORD not in log.read_text()


def test_the_served_app_refuses_a_cross_site_sign_in(served):
    url, _ = served
    reply = httpx.post(
        f"{url}/auth/masuk",
        data={"username": "admin", "password": PASSWORD},
        headers={"origin": "https://penipu.example"},
    )

    assert reply.status_code == 403
    assert "set-cookie" not in reply.headers
