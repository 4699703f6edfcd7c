"""Live preview: `factdesk serve` rebuilds after a claim file is edited and serves the new text."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from helpers import copy_project


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


def test_serve_rebuilds_only_the_pages_an_edit_changes(tmp_path):
    """After an edit, the preview rebuilds the changed pages (and the hand-written ones), merges the search
    index, and a full build of the same project is not affected by the preview."""
    project = copy_project(tmp_path)
    port = free_port()
    exe = Path(sys.executable).parent / "factdesk"
    log = tmp_path / "serve.log"
    with log.open("w") as sink:
        proc = subprocess.Popen([str(exe), "serve", "--dev-addr", f"127.0.0.1:{port}"], cwd=project,
                                stdout=sink, stderr=subprocess.STDOUT, text=True,
                                env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    base = f"http://127.0.0.1:{port}/"
    try:
        assert wait_for(base + "claims/moon-made-of-cheese/", "made of <em>rock</em>", 60)
        entries = json.loads(fetch(base + "search/search_index.json"))["docs"]
        # Only the analysis changes: it is shown on the claim's own page and exported in claims.json.
        claim = project / "claims" / "moon-made-of-cheese.yaml"
        claim.write_text(claim.read_text().replace("made of *rock*.", "made of *basalt*."))
        assert wait_for(base + "claims/moon-made-of-cheese/", "made of <em>basalt</em>", 30)
        assert wait_for(base + "exports/claims.json", "made of *basalt*.", 10)
        time.sleep(1)  # the search index is written at the end of the build
        after = json.loads(fetch(base + "search/search_index.json"))["docs"]
        # A new claim adds its pages; removing it takes them away again.
        other = project / "claims" / "moon-is-near.yaml"
        other.write_text((project / "claims" / "moon-distance.yaml").read_text()
                         .replace("id: moon-distance", "id: moon-is-near")
                         .replace("related: [moon-made-of-cheese]", "related: [moon-distance]"))
        assert wait_for(base + "claims/moon-is-near/", "384,400", 30)
        other.unlink()
        assert wait_for_missing(base + "claims/moon-is-near/", 30)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    builds = [line.split("factdesk: ", 1)[1] for line in log.read_text().splitlines() if "factdesk: " in line]
    assert builds[:2] == ["full build, 31 of 31 generated files changed, 19 pages rebuilt",
                          "incremental build, 2 of 31 generated files changed, 2 pages rebuilt"]
    assert len(builds) >= 4 and all(b.startswith("incremental build") for b in builds[2:]), builds
    assert "'dirty' build" not in log.read_text()
    assert len(after) == len(entries)
    # The analysis is not indexed (see searchscope.py): the rebuilt page's one entry replaced its old one.
    assert [e["location"] for e in after if e["location"].startswith("claims/moon-made-of-cheese/")] == \
        ["claims/moon-made-of-cheese/"]
    assert not any("basalt" in e["text"] or "made of <em>rock</em>" in e["text"] for e in after)
    # A full build is not affected by the preview's caches: it runs in its own process, from scratch.
    result = subprocess.run([str(exe), "build"], cwd=project, capture_output=True, text=True,
                            env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    assert result.returncode == 0, result.stderr
    assert "made of <em>basalt</em>" in (project / "site/claims/moon-made-of-cheese/index.html").read_text()
    assert not (project / "site/claims/moon-is-near").exists()


def wait_for_missing(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(url, timeout=5).close()
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return True
        except OSError:
            pass
        time.sleep(0.3)
    return False
