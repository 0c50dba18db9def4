"""A real `npq-sandbox serve` on a free port and Debian's chromium, driven by playwright.

The browser must start: if it cannot, these tests fail (`make test` and `.ci/run` install
chromium). Screenshots of each page are written to artefacts/screenshots/.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artefacts" / "screenshots"
STARTUP = 60.0  # seconds a loaded machine may take to seed and serve


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The root URL of a sandbox served for the browser tests, on a seeded temporary file."""
    folder = tmp_path_factory.mktemp("served")
    port = _free_port()
    command = [sys.executable, "-m", "npq_sandbox", "serve", "--port", str(port)]
    command += ["--db", str(folder / "sandbox.db"), "--participants", "40"]
    command += ["--reports", str(folder)]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    root = f"http://127.0.0.1:{port}"
    try:
        _wait_for(root, server)
        yield root
    finally:
        server.terminate()
        server.communicate(timeout=30)


def _wait_for(root: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the sandbox stopped: {server.stderr.read().decode()}")  # type: ignore[union-attr]
        try:
            if requests.get(f"{root}/api/v3", timeout=2).status_code == 200:
                return
        except requests.ConnectionError:
            time.sleep(0.2)
    raise RuntimeError(f"the sandbox did not answer within {STARTUP} seconds")


@pytest.fixture(scope="session")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Browser]:
    """Debian's chromium, headless, with a fresh profile and no network of its own."""
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=CHROMIUM, args=ARGS, headless=True
        )
        yield context  # type: ignore[misc]
        context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A new tab with its cookies cleared; closed after the test."""
    browser.clear_cookies()  # type: ignore[attr-defined]
    tab = browser.new_page()
    tab.set_default_timeout(20_000)
    yield tab
    tab.close()


def screenshot(page: Page, name: str) -> None:
    """Keep a picture of the page as a test artefact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=False)
