"""A `deliver serve` process and a headless system Chromium driven by Selenium, for the
end-to-end test, the latency benchmark and the README screenshot.

Only an installed Chromium and chromedriver are used (never a downloaded
browser); `missing()` says why a browser cannot be had here.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

BROWSERS = ("chromium", "chromium-browser", "google-chrome")
DRIVERS = ("chromedriver",)
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
)


def _found(names: tuple[str, ...]) -> str | None:
    return next((path for name in names if (path := shutil.which(name))), None)


def missing() -> str | None:
    """Why no browser test can run here, or None when one can."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed"
    if _found(BROWSERS) is None:
        return "no Chromium installed (apt-get install chromium)"
    if _found(DRIVERS) is None:
        return "no chromedriver installed (apt-get install chromium-driver)"
    return None


@contextlib.contextmanager
def browser(width: int = 1400, height: int = 900) -> Iterator[object]:
    """A headless Chromium with a fresh profile, closed afterwards."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    with tempfile.TemporaryDirectory(prefix="deliver-chromium-") as profile:
        options = webdriver.ChromeOptions()
        options.binary_location = _found(BROWSERS) or ""
        for flag in (*FLAGS, f"--user-data-dir={profile}", f"--window-size={width},{height}"):
            options.add_argument(flag)
        driver = webdriver.Chrome(service=Service(executable_path=_found(DRIVERS)), options=options)
        try:
            yield driver
        finally:
            driver.quit()


class Server:
    """`deliver serve FILE --port 0` in a child process; `url` once it listens."""

    def __init__(self, source: Path, out: Path, timeout: float = 300.0):
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "deliverables", "serve", str(source), "--out", str(out), "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
            text=True,
            env=env,
        )
        self.lines: list[str] = []
        self.url = self._wait_for_url(timeout)

    def _wait_for_url(self, timeout: float) -> str:
        deadline = time.monotonic() + timeout
        assert self.process.stdout is not None
        while time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                raise RuntimeError("deliver serve stopped:\n" + "".join(self.lines))
            self.lines.append(line)
            found = re.search(r"at (http://\S+) ", line)
            if found:
                return found.group(1)
        raise RuntimeError("deliver serve did not start:\n" + "".join(self.lines))

    def stop(self, timeout: float = 30.0) -> int:
        """Ctrl-C, as a user would; the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
        try:
            out, _ = self.process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            out, _ = self.process.communicate()
        self.lines.append(out or "")
        return self.process.returncode

    @property
    def output(self) -> str:
        """Everything the server printed so far (complete once stopped)."""
        return "".join(self.lines)


def wait_until(condition, timeout: float = 120.0, step: float = 0.02):
    """Poll `condition` until it returns something truthy; that value (TimeoutError past `timeout`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(step)
    raise TimeoutError(f"gave up after {timeout:.0f} s")


def save(path: Path, text: str) -> None:
    """Save as an editor does: a new file renamed over the old one."""
    temp = path.with_name(f".{path.name}.swp")
    temp.write_text(text, encoding="utf-8")
    os.replace(temp, path)
