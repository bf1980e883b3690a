"""Running the real ``panel`` command: migrate, create users, serve on a free port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from panel.settings import ROOT

PANEL_COMMAND = str(Path(sys.executable).parent / "panel")
START_TIMEOUT_SECONDS = 30.0
STOP_TIMEOUT_SECONDS = 10.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_panel(environment: dict[str, str], *arguments: str, stdin: str = "") -> str:
    """Run one ``panel`` command to the end; fail the run with its output if it does not succeed."""
    result = subprocess.run(
        [PANEL_COMMAND, *arguments],
        env=environment,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    if result.returncode != 0:
        pytest.fail(
            f"`panel {' '.join(arguments)}` failed with exit code {result.returncode}:\n"
            f"{result.stdout}\n{result.stderr}",
            pytrace=False,
        )
    return result.stdout


@dataclass
class PanelServer:
    """A ``panel serve`` process and what the tests need to know about it."""

    url: str
    exit_url: str
    environment: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    def create_user(self, email: str, role: str, password: str) -> None:
        run_panel(
            self.environment,
            *("users", "create", "--email", email, "--role", role, "--password-stdin"),
            stdin=password + "\n",
        )

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def start(self, port: int) -> None:
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                [PANEL_COMMAND, "serve", "--host", "127.0.0.1", "--port", str(port)],
                env=self.environment,
                cwd=ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        self.wait_until_healthy()

    def wait_until_healthy(self) -> None:
        assert self.process is not None
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(
                    f"panel serve stopped with exit code {self.process.returncode} before it "
                    f"answered. Its log:\n{self.log()}",
                    pytrace=False,
                )
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=1) as response:
                    if response.status == 200:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.1)
        self.stop()
        pytest.fail(
            f"panel serve did not answer {self.url}/healthz with 200 within "
            f"{START_TIMEOUT_SECONDS:.0f} s. Its log:\n{self.log()}",
            pytrace=False,
        )

    def stop(self) -> None:
        """Stop the server process this fixture started (by its own handle, nothing else)."""
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=STOP_TIMEOUT_SECONDS)
