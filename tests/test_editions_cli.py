"""`factdesk bundle --format …` makes every edition for every language in one run, or none of them.

Each writer is tested on its own (test_bundle.py, test_singlefile.py, test_zim.py, test_manifest.py); here the
command that readers' copies come from: names, output, all-or-nothing, and the signature over the whole set.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from helpers import NODE_MODULES, TESTS, copy_project, npm_package, run
from libzim.reader import Archive

RELAYS = TESTS / "fixtures" / "relays"
DATE = "2026-04-02"  # the newest claim update in the relays fixture: editions are named after it
NAMES = {f"relay-desk{lang}-offline-{DATE}.{ext}" for lang in ("", "-fa") for ext in ("zip", "html", "zim")}


def bundle(project: Path, *args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    command = [str(Path(sys.executable).parent / "factdesk"), "bundle", "-o", str(project / "dist"),
               "--node-modules", str(NODE_MODULES), *args]
    return subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=600,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **(env or {})})


@pytest.fixture(scope="module")
def everything(tmp_path_factory):
    npm_package("iframe-worker")
    project = copy_project(tmp_path_factory.mktemp("editions"), RELAYS)
    result = bundle(project, "--format", "all")
    assert result.returncode == 0, result.stderr
    return project, result


def test_one_command_makes_each_format_for_each_language(everything):
    project, result = everything
    dist = project / "dist"
    assert {p.name for p in dist.iterdir()} == NAMES  # and nothing else: no staging folder left
    lines = result.stdout.splitlines()
    assert len(lines) == 12
    for said, shown in zip(lines[::2], lines[1::2], strict=True):
        assert re.fullmatch(r"Bundled \d+ pages in \d+\.\d s: [\d,]+ bytes (zipped, [\d,]+ unzipped|in one HTML "
                            r"file|in a ZIM file for Kiwix)\.", said), said
        size = int(said.split(": ")[1].split(" bytes")[0].replace(",", ""))
        path = Path(shown.removeprefix("Bundle: "))
        assert path.parent == dist and path.stat().st_size == size


def test_each_language_opens_on_its_own_home_page_in_every_format(everything):
    project, _ = everything
    dist = project / "dist"
    for lang, name in (("en", "Relay desk"), ("fa", "میز بازنشر")):
        stem = f"relay-desk{'' if lang == 'en' else '-fa'}-offline-{DATE}"
        with zipfile.ZipFile(dist / f"{stem}.zip") as archive:
            home = archive.read(f"{stem}/index.html").decode()
        single = (dist / f"{stem}.html").read_text(encoding="utf-8")
        kiwix = Archive(dist / f"{stem}.zim")
        main = bytes(kiwix.main_entry.get_item().content).decode()
        for page in (home, single, main):
            assert f'lang="{lang}"' in page and name in page
        assert kiwix.get_metadata("Language").decode() == {"en": "eng", "fa": "fas"}[lang]
        assert f'<html lang="{lang}" dir="{"rtl" if lang == "fa" else "ltr"}">' in single


def test_a_failing_format_leaves_no_edition_and_keeps_the_old_ones(everything, tmp_path):
    project, _ = everything
    dist = project / "dist"
    before = {p.name: p.read_bytes() for p in dist.iterdir()}
    blocker = tmp_path / "block"
    blocker.mkdir()
    (blocker / "sitecustomize.py").write_text("import sys\nsys.modules['libzim'] = None\n")
    result = bundle(project, "--format", "zip", "--format", "zim", env={"PYTHONPATH": str(blocker)})
    assert result.returncode == 1
    assert result.stderr.splitlines()[-2:] == [
        "Error: the Kiwix edition needs the libzim package: pip install 'libzim>=3.4,<4' (make bundle installs it)",
        "No bundle was made."]
    assert {p.name: p.read_bytes() for p in dist.iterdir()} == before  # the zips made first were not kept


def test_bad_previous_edition_is_a_usage_error(everything):
    project, _ = everything
    result = bundle(project, "--previous", "yesterday")
    assert result.returncode == 2
    assert "--previous" in result.stderr and "yesterday" in result.stderr
    assert "Traceback" not in result.stderr


def test_signing_the_set_covers_every_edition(everything, tmp_path):
    project, _ = everything
    if shutil.which("ssh-keygen") is None:
        pytest.skip("needs OpenSSH's ssh-keygen")
    key = tmp_path / "key"
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "e@relays.example", "-f", str(key)],
                   check=True, stdin=subprocess.DEVNULL)
    signers = tmp_path / "allowed_signers"
    signers.write_text(f'e@relays.example namespaces="factdesk-editions" {key.with_suffix(".pub").read_text()}')
    dist = tmp_path / "dist"
    shutil.copytree(project / "dist", dist)
    result = run(["factdesk", "sign", str(dist), "--key", str(key), "--allowed-signers", str(signers)], cwd=project)
    assert result.returncode == 0, result.stderr
    listed = [line.split()[1] for line in (dist / "SHA256SUMS").read_text().splitlines()]
    assert sorted(listed) == sorted(NAMES)
    checked = subprocess.run(["sha256sum", "-c", "SHA256SUMS"], cwd=dist, capture_output=True, text=True)
    assert checked.returncode == 0 and checked.stdout.count(": OK") == 6
    with open(dist / "SHA256SUMS", "rb") as manifest:
        verified = subprocess.run(["ssh-keygen", "-Y", "verify", "-f", str(signers), "-I", "e@relays.example",
                                   "-n", "factdesk-editions", "-s", str(dist / "SHA256SUMS.sig")],
                                  stdin=manifest, capture_output=True, text=True)
    assert verified.returncode == 0, verified.stderr
