"""Live preview: `factdesk serve` rebuilds after a claim file is edited and serves the new text."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from helpers import copy_project  # noqa: E402


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def wait_for(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        time.sleep(0.3)
    return False


def test_serve_rebuilds_when_a_claim_changes(tmp_path):
    project = copy_project(tmp_path)
    port = free_port()
    exe = Path(sys.executable).parent / "factdesk"
    proc = subprocess.Popen([str(exe), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    url = f"http://127.0.0.1:{port}/claims/moon-made-of-cheese/"
    try:
        assert wait_for(url, "Moon is made entirely of cheese", 60), "the preview never served the claim page"
        claim = project / "claims" / "moon-made-of-cheese.yaml"
        claim.write_text(claim.read_text().replace("Nothing in them is", "Not one grain of them is"))
        started = time.monotonic()
        assert wait_for(url, "Not one grain of them is", 30), "the edit never reached the preview"
        print(f"edit visible after {time.monotonic() - started:.2f} s")
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
