"""Copies anyone can verify: `factdesk sign`, the website's Editions page and each edition's About page.

Signatures are checked with the reader's own tools (`ssh-keygen -Y verify`, `sha256sum -c`), never with ours.
Every key here is a throwaway one made in the test's temporary folder.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from factdesk import manifest
from factdesk.bundle import build_offline_site
from factdesk.load import Layout
from factdesk.localdates import long_date, number
from factdesk.manifest import EditionFile, ManifestError, Publication
from factdesk.pipeline import check
from factdesk.render import SiteOptions, render
from helpers import NODE_MODULES, REPO, TESTS, copy_project, edit, npm_package, run

PRINCIPAL = "editions@test.example"
SITE = {"site_url": "https://fixture.example/", "publisher_name": "Fixture desk",
        "publisher_url": "https://fixture.example/"}  # what ClaimReview needs
DATE = "2026-02-03"  # the newest update among the fixture's claims: the date `factdesk bundle` names editions after
ZIP = f"fixture-desk-offline-{DATE}.zip"
HTML = f"fixture-desk-offline-{DATE}.html"
WRITTEN = {"SHA256SUMS", "SHA256SUMS.sig", "editions.json"}
RELAYS = TESTS / "fixtures" / "relays"

pytestmark = pytest.mark.skipif(shutil.which("ssh-keygen") is None or shutil.which("sha256sum") is None,
                                reason="needs OpenSSH's ssh-keygen and coreutils' sha256sum")


def keygen(path: Path, passphrase: str = "") -> Path:
    subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-C", "test", "-f", str(path)],
                   check=True, stdin=subprocess.DEVNULL)
    return path


def allowed_signers_line(key: Path) -> str:
    return f'{PRINCIPAL} namespaces="factdesk-editions" {key.with_suffix(".pub").read_text().strip()}\n'


def reader_verifies(folder: Path) -> subprocess.CompletedProcess:
    """What the Editions page tells a reader to run, in the folder holding the three downloaded files."""
    with (folder / "SHA256SUMS").open("rb") as sums:
        return subprocess.run(["ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", PRINCIPAL, "-n",
                               "factdesk-editions", "-s", "SHA256SUMS.sig"], stdin=sums, cwd=folder,
                              capture_output=True, text=True)


def sha256sum_check(folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["sha256sum", "-c", "--ignore-missing", "SHA256SUMS"], cwd=folder, capture_output=True,
                          text=True)


@pytest.fixture(scope="module")
def keys(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("keys")
    return {"signer": keygen(folder / "signer"), "stranger": keygen(folder / "stranger"),
            "locked": keygen(folder / "locked", passphrase="secret")}


def project_with_editions(tmp: Path, keys: dict[str, Path]) -> Path:
    """The fixture project with the published (test) key and two small editions in dist/."""
    project = copy_project(tmp)
    (project / "keys").mkdir()
    (project / "keys" / "allowed_signers").write_text(allowed_signers_line(keys["signer"]), encoding="utf-8")
    (project / "dist").mkdir()
    with zipfile.ZipFile(project / "dist" / ZIP, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("site/index.html", "<p>" + "claims " * 300 + "</p>")
    (project / "dist" / HTML).write_text("<!doctype html><title>Fixture desk</title>\n", encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def signed(tmp_path_factory, keys):
    project = project_with_editions(tmp_path_factory.mktemp("signed"), keys)
    result = run(["factdesk", "sign", "--key", str(keys["signer"])], cwd=project)
    assert result.returncode == 0, result.stderr
    return project, result


@pytest.fixture(scope="module")
def website(tmp_path_factory, signed) -> Path:
    project, _ = signed
    site = tmp_path_factory.mktemp("website") / "site"
    result = run(["factdesk", "build", "-d", str(site)], cwd=project)
    assert result.returncode == 0, result.stderr
    return site


# -- factdesk sign -------------------------------------------------------------------------------

def test_sign_writes_the_manifest_and_prints_each_edition_with_size_and_hash(signed, keys):
    project, result = signed
    dist = project / "dist"
    assert {p.name for p in dist.iterdir()} == {ZIP, HTML} | WRITTEN  # no temporary file left behind
    files = {name: (dist / name).read_bytes() for name in (HTML, ZIP)}
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    assert (dist / "SHA256SUMS").read_text() == "".join(f"{digests[n]}  {n}\n" for n in sorted(files))
    data = json.loads((dist / "editions.json").read_text(encoding="utf-8"))
    assert data == {"format": "factdesk-editions", "version": 1, "date": DATE, "editions": [
        {"name": name, "format": name.rsplit(".", 1)[1], "language": "en", "date": DATE, "bytes": len(files[name]),
         "sha256": digests[name]} for name in sorted(files)]}
    lines = result.stdout.splitlines()
    fingerprint = manifest.published_key(project / "keys" / "allowed_signers").fingerprint
    assert lines[0] == f"Signed 2 edition(s) of {DATE} as {PRINCIPAL} ({fingerprint}):"
    for name, line in zip(sorted(files), lines[1:3], strict=True):
        assert line.split() == [name, "en", f"{len(files[name]):,}", "bytes", "sha256", digests[name]]
    assert lines[3] == f"Wrote SHA256SUMS, SHA256SUMS.sig and editions.json in {dist}."


def test_ssh_keygen_accepts_the_signature_and_sha256sum_the_editions(signed, tmp_path):
    project, _ = signed
    folder = tmp_path / "reader"
    shutil.copytree(project / "dist", folder)
    shutil.copyfile(project / "keys" / "allowed_signers", folder / "allowed_signers")
    verified = reader_verifies(folder)
    assert verified.returncode == 0, verified.stderr
    assert verified.stdout.startswith(f'Good "factdesk-editions" signature for {PRINCIPAL} with ED25519 key ')
    checked = sha256sum_check(folder)
    assert checked.returncode == 0
    assert sorted(checked.stdout.splitlines()) == [f"{HTML}: OK", f"{ZIP}: OK"]


def test_a_tampered_manifest_is_rejected_by_ssh_keygen(signed, tmp_path):
    project, _ = signed
    folder = tmp_path / "reader"
    shutil.copytree(project / "dist", folder)
    shutil.copyfile(project / "keys" / "allowed_signers", folder / "allowed_signers")
    sums = (folder / "SHA256SUMS").read_text()
    forged = hashlib.sha256(b"a forged edition").hexdigest()
    (folder / "SHA256SUMS").write_text(re.sub(r"^[0-9a-f]{64}", forged, sums, count=1))
    verified = reader_verifies(folder)
    assert verified.returncode != 0
    assert "Good" not in verified.stdout


def test_a_tampered_edition_fails_sha256sum(signed, tmp_path):
    project, _ = signed
    folder = tmp_path / "reader"
    shutil.copytree(project / "dist", folder)
    with (folder / ZIP).open("ab") as fh:
        fh.write(b"\0")
    checked = sha256sum_check(folder)
    assert checked.returncode == 1
    assert f"{ZIP}: FAILED" in checked.stdout.splitlines()
    assert f"{HTML}: OK" in checked.stdout.splitlines()


def test_the_key_can_come_from_the_environment(tmp_path, keys, monkeypatch):
    project = project_with_editions(tmp_path, keys)
    monkeypatch.setenv("FACTDESK_SIGNING_KEY", keys["signer"].read_text())
    result = run(["factdesk", "sign", "dist"], cwd=project)
    assert result.returncode == 0, result.stderr
    shutil.copyfile(project / "keys" / "allowed_signers", project / "dist" / "allowed_signers")
    assert reader_verifies(project / "dist").returncode == 0


FAILURES = {
    "no key": ([], "no signing key: pass --key FILE or set FACTDESK_SIGNING_KEY (the publish workflow takes it "
                   "from its secrets)"),
    "garbage": (["--key", "{garbage}"], "the signing key {garbage} is not a private key; hint: give the private "
                                        "half (-----BEGIN OPENSSH PRIVATE KEY-----…), not the .pub file"),
    "public half": (["--key", "{public}"], "the signing key {public} is not a private key; hint: give the private "
                                           "half (-----BEGIN OPENSSH PRIVATE KEY-----…), not the .pub file"),
    "broken": (["--key", "{broken}"], "the signing key {broken} is not a usable private key (ssh-keygen: {said}); "
                                      "hint: give the private key file that `ssh-keygen -t ed25519` wrote"),
    "unreadable": (["--key", "{missing}"], "the signing key {missing}: cannot read it: No such file or directory; "
                                           "hint: pass the private key file that ssh-keygen wrote"),
    "passphrase": (["--key", "{locked}"], "the signing key {locked} is protected by a passphrase, which cannot be "
                                          "typed in here; hint: sign with a key made with `ssh-keygen -N ''` "
                                          "(see keys/README.md)"),
    "not the published key": (["--key", "{stranger}"],
                              "the signing key does not match other/allowed_signers; hint: sign with the private "
                              "half of the key published there, or replace keys/allowed_signers and "
                              "keys/editions.pub with the new key's public half (see keys/README.md)"),
    "no ssh-keygen": (["--key", "{signer}"], "ssh-keygen is not installed; hint: install OpenSSH's client (Debian "
                                             "and Ubuntu: apt install openssh-client; macOS and Windows 10 and 11 "
                                             "include it)"),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_a_bad_key_gives_one_line_and_writes_nothing(case, tmp_path, keys, monkeypatch):
    project = project_with_editions(tmp_path, keys)
    # The published key, where the factdesk option signing_key says it is.
    (project / "other").mkdir()
    (project / "keys" / "allowed_signers").rename(project / "other" / "allowed_signers")
    edit(project, "mkdocs.yml", "  - factdesk\n", "  - factdesk:\n      signing_key: other/allowed_signers\n")
    paths = {"garbage": tmp_path / "garbage", "public": keys["signer"].with_suffix(".pub"),
             "broken": tmp_path / "broken", "missing": tmp_path / "missing", **keys}
    paths["garbage"].write_text("not a key at all\n")
    paths["broken"].write_text("-----BEGIN OPENSSH PRIVATE KEY-----\nbm9uc2Vuc2U=\n-----END OPENSSH PRIVATE KEY-----\n")
    paths["broken"].chmod(0o600)
    monkeypatch.delenv("FACTDESK_SIGNING_KEY", raising=False)
    if case == "no ssh-keygen":
        monkeypatch.setenv("PATH", str(tmp_path / "empty"))
    args, message = FAILURES[case]
    result = run(["factdesk", "sign", *(a.format(**paths) for a in args)], cwd=project, timeout=60)
    assert result.returncode == 1
    # What OpenSSH says of a key it cannot parse depends on its version: any one line of it.
    expected = re.escape("Error: " + message.format(**paths, said="SAID")).replace("SAID", "[^\n]+")
    assert re.fullmatch(expected, result.stderr.rstrip("\n")), result.stderr
    assert {p.name for p in (project / "dist").iterdir()} == {ZIP, HTML}  # no manifest, no signature, no leftovers


def test_a_signature_the_published_line_does_not_accept_is_removed_with_the_manifest(tmp_path, keys):
    project = project_with_editions(tmp_path, keys)  # the right key, but published for another use
    line = allowed_signers_line(keys["signer"]).replace('namespaces="factdesk-editions"', 'namespaces="git"')
    (project / "keys" / "allowed_signers").write_text(line, encoding="utf-8")
    result = run(["factdesk", "sign", "--key", str(keys["signer"])], cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        "Error: ssh-keygen does not accept the new signature with keys/allowed_signers; hint: check that its "
        f"line for {PRINCIPAL} allows the namespace factdesk-editions"]
    assert {p.name for p in (project / "dist").iterdir()} == {ZIP, HTML}


def test_signing_needs_editions_of_one_date(tmp_path, keys):
    project = project_with_editions(tmp_path, keys)
    shutil.copyfile(project / "dist" / ZIP, project / "dist" / "fixture-desk-offline-2026-01-10.zip")
    result = run(["factdesk", "sign", "--key", str(keys["signer"])], cwd=project)
    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"Error: {project / 'dist'} holds editions of several dates (2026-01-10, {DATE}); move the older ones "
        "out of it, or pass --date YYYY-MM-DD"]
    assert not WRITTEN & {p.name for p in (project / "dist").iterdir()}


def test_languages_come_from_the_file_names():
    assert manifest.language_in_name("desk-fa-offline-2026-02-03.zim", ("fa",), "en") == "fa"
    assert manifest.language_in_name("desk-offline-2026-02-03.zim", ("fa",), "en") == "en"
    assert manifest.language_in_name("fast-desk-offline-2026-02-03.zip", ("fa",), "en") == "en"  # a word, not 'fa'


def test_previous_edition_is_a_date_or_an_editions_json(signed, tmp_path):
    project, _ = signed
    assert manifest.previous_edition("2026-01-20") == dt.date(2026, 1, 20)
    assert manifest.previous_edition(str(project / "dist" / "editions.json")) == dt.date.fromisoformat(DATE)
    with pytest.raises(ValueError, match=r"^expected a date as YYYY-MM-DD or the path of a previous editions\.json, "
                                         r"found '2026-02-30'$"):
        manifest.previous_edition("2026-02-30")
    (tmp_path / "editions.json").write_text('{"format": "factdesk-editions", "date": "soon"}')
    with pytest.raises(ManifestError, match=r"editions\.json: date: expected a date as YYYY-MM-DD, found 'soon'; "):
        manifest.previous_edition(str(tmp_path / "editions.json"))
    with pytest.raises(ManifestError, match=r"gone\.json does not exist; hint: give the editions\.json"):
        manifest.previous_edition(str(tmp_path / "gone.json"))


# -- the website's Editions page -----------------------------------------------------------------

def rows(page: str) -> list[list[str]]:
    body = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return [re.findall(r"<td>(.*?)</td>", row) for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_the_editions_page_lists_each_edition_with_size_hash_and_download(signed, website):
    project, _ = signed
    page = (website / "editions" / "index.html").read_text(encoding="utf-8")
    listed = json.loads((project / "dist" / "editions.json").read_text())["editions"]
    found = rows(page)
    assert len(found) == len(listed) == 2
    for edition, cells in zip(listed, found, strict=True):
        language, download, date, size, digest = cells
        assert language == "English"
        assert f'href="{edition["name"]}" download' in download
        assert f'<code dir="ltr">{edition["name"]}</code>' in download
        assert f'datetime="{DATE}"' in date
        assert size == f'{edition["bytes"]:,}'
        assert digest == f'<code dir="ltr">{edition["sha256"]}</code>'
        offered = website / "editions" / edition["name"]
        assert offered.read_bytes() == (project / "dist" / edition["name"]).read_bytes()
    assert int(found[1][3].replace(",", "")) > 1000  # the zip: its size is written with a thousands separator
    assert not (website / "edition.html").exists() and not (website / "edition").exists()  # offline copies only


def test_the_editions_page_says_how_to_check_a_copy(website):
    page = (website / "editions" / "index.html").read_text(encoding="utf-8")
    how = page.split('id="how-to-check-a-copy"', 1)[1]
    for command in (f"ssh-keygen -Y verify -f allowed_signers -I {PRINCIPAL} -n factdesk-editions -s SHA256SUMS.sig "
                    "&lt; SHA256SUMS", "sha256sum -c --ignore-missing SHA256SUMS",
                    "shasum -a 256 -c --ignore-missing SHA256SUMS", "certutil -hashfile FILE SHA256"):
        assert f"<code>{command}</code>" in how, command
    key = (website / "editions" / "allowed_signers").read_text().strip()
    assert key.replace('"', "&#34;") in how  # the key's text, to compare with the downloaded one


def test_a_reader_checks_the_files_downloaded_from_the_website(website):
    folder = website / "editions"  # SHA256SUMS, SHA256SUMS.sig and allowed_signers, next to the editions
    assert reader_verifies(folder).returncode == 0
    assert sha256sum_check(folder).returncode == 0


def test_without_editions_the_page_says_none_yet_and_still_how_to_check():
    corpus = check(Layout.under(TESTS / "fixtures" / "project")).corpus
    page = render(corpus, SiteOptions(**SITE, publication=Publication()))[0]["editions.md"]
    assert "No edition has been published yet." in page
    assert "<tbody>" not in page
    assert "sha256sum -c --ignore-missing SHA256SUMS" in page
    assert "No signing key has been published yet." in page
    assert "-I PRINCIPAL -n factdesk-editions" in page


def test_the_persian_editions_page_is_in_persian():
    corpus = check(Layout.under(RELAYS), languages=("fa",)).corpus
    key = manifest.published_key(REPO / "keys" / "allowed_signers")
    edition = EditionFile("relay-desk-fa-offline-2026-04-02.zip", "zip", "fa", dt.date(2026, 4, 2), 123456, "ab" * 32)
    options = SiteOptions(**SITE, language="fa", source_language="en",
                          publication=Publication((edition,), edition.date, True, key))
    page = render(corpus, options)[0]["editions.md"]
    assert "# نسخه‌های آفلاین\n" in page
    assert f"<td>{number(123456, 'fa')}</td>" in page and "۱۲۳٬۴۵۶" in page
    assert long_date(edition.date, "fa") in page
    assert "<td>فارسی</td>" in page
    assert key.line.replace('"', "&#34;") in page


def test_an_editions_json_naming_a_missing_file_stops_the_build(signed, tmp_path):
    project = copy_project(tmp_path, signed[0])
    (project / "dist" / HTML).unlink()
    result = run(["factdesk", "build", "-d", str(tmp_path / "site")], cwd=project)
    assert result.returncode == 1
    assert (f"dist/editions.json lists {HTML}, which is not in dist; hint: run `factdesk bundle`, then "
            "`factdesk sign`, again") in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "site").exists()


# -- the About page of an offline edition --------------------------------------------------------

def corrected_project(tmp: Path, keys: dict[str, Path]) -> Path:
    """The fixture with a correction on 2026-02-02 besides its caveat on 2026-02-03."""
    project = project_with_editions(tmp, keys)
    edit(project, "claims/moon-distance.yaml", "updated: 2026-02-01", "updated: 2026-02-02")
    edit(project, "claims/moon-distance.yaml", "    change: First published.\n",
         "    change: First published.\n  - date: 2026-02-02\n    change: Rounded the distance as NASA does.\n")
    return project


def listed_changes(html: str) -> list[tuple[str, str, str]]:
    """(date, link, change) of each entry of the About page's list."""
    block = html.split('<ul class="fd-corrections"', 1)[1].split("</ul>", 1)[0] if "fd-corrections" in html else ""
    return re.findall(r'<li><time datetime="([\d-]+)">.*?</time>[,،] <a href="([^"]+)">.*?</a>: (.*?)</li>', block)


@pytest.fixture(scope="module")
def offline(tmp_path_factory, keys):
    """`factdesk bundle --previous` given the editions.json of an edition of 2026-02-02."""
    npm_package("iframe-worker")
    project = corrected_project(tmp_path_factory.mktemp("offline"), keys)
    (project / "previous").mkdir()
    manifest.write_manifest(project / "previous", [], date=dt.date(2026, 2, 2))
    result = run(["factdesk", "bundle", "-o", "out", "--previous", "previous/editions.json", "--node-modules",
                  str(NODE_MODULES)], cwd=project)
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(project / "out" / ZIP) as archive:
        return project, {name.split("/", 1)[1]: archive.read(name).decode("utf-8")
                         for name in archive.namelist() if name.endswith((".html", ".txt"))}


def test_the_about_page_lists_the_changes_made_after_the_previous_edition(offline):
    _, files = offline
    page = files["edition.html"]
    assert listed_changes(page) == [("2026-02-03", "claims/moon-made-of-cheese.html#change-2", "Added a caveat.")]
    assert "since the previous edition, of <time datetime=\"2026-02-02\">2 February 2026</time>" in page
    assert 'This is an offline copy of Fixture desk, up to date as of <time datetime="2026-02-03">' in page
    assert 'id="change-2"' in files["claims/moon-made-of-cheese.html"]  # the link leads to the entry


def test_the_about_page_says_how_to_check_the_copy_with_the_published_key(offline):
    project, files = offline
    page, readme = files["edition.html"], files["README.txt"]
    line = (project / "keys" / "allowed_signers").read_text().strip()
    assert line.replace('"', "&#34;") in page
    assert 'href="https://fixture.example/editions/"' in page
    verify = f"ssh-keygen -Y verify -f allowed_signers -I {PRINCIPAL} -n factdesk-editions -s SHA256SUMS.sig"
    assert f"<code>{verify} &lt; SHA256SUMS</code>" in page
    assert "Checking that this copy is genuine" in readme
    assert f"    {verify} < SHA256SUMS\n    sha256sum -c --ignore-missing SHA256SUMS\n" in readme
    assert f"\n    {line}\n" in readme and "https://fixture.example/editions/" in readme


def test_every_page_of_the_copy_links_to_its_about_page(offline):
    _, files = offline
    for name in ("index.html", "claims/index.html"):
        assert re.search(r'href="(\.\./)?edition\.html"[^>]*>\s*(<span[^>]*>)?\s*About this copy', files[name]), name
    assert "editions.html" not in files["index.html"]


@pytest.fixture(scope="module")
def corpora(tmp_path_factory, keys) -> dict:
    return {"fixture": check(Layout.under(TESTS / "fixtures" / "project")).corpus,
            "corrected": check(Layout.under(corrected_project(tmp_path_factory.mktemp("corrected"), keys))).corpus}


CHEESE, DISTANCE = "claims/moon-made-of-cheese.md#change-2", "claims/moon-distance.md#change-2"


@pytest.mark.parametrize(("project", "previous", "expected"), [
    ("fixture", None, [CHEESE]),
    ("fixture", dt.date(2026, 2, 2), [CHEESE]),  # between the first publication (1 February) and the caveat (3rd)
    ("fixture", dt.date(2026, 2, 3), []),
    ("corrected", None, [CHEESE, DISTANCE]),
    ("corrected", dt.date(2026, 2, 1), [CHEESE, DISTANCE]),
    ("corrected", dt.date(2026, 2, 2), [CHEESE]),  # a change made on the previous edition's day was in it
    ("corrected", dt.date(2026, 2, 3), []),
])
def test_the_about_page_lists_exactly_the_entries_after_the_previous_date(project, previous, expected, corpora):
    options = SiteOptions(**SITE, use_directory_urls=False,
                          publication=Publication(copy_date=dt.date(2026, 2, 3), previous=previous))
    pages = render(corpora[project], options)[0]
    assert "editions.md" not in pages
    page = pages["edition.md"]
    links = re.findall(r'<li><time datetime="[\d-]+">.*?</time>, <a href="([^"]+)">', page)
    assert [link.replace(".html", ".md") for link in links] == expected
    if previous is None:
        assert "Every correction and verdict change since the claims were first published:" in page
    elif not expected:
        assert "None: no claim has been corrected and no verdict has changed since then." in page


def test_a_previous_edition_newer_than_the_copy_is_refused():
    with pytest.raises(ManifestError, match=r"^the previous edition \(2026-03-01\) is newer than this one "
                                            r"\(2026-02-03\); hint: give the date of an earlier edition$"):
        manifest.check_previous(dt.date(2026, 2, 3), dt.date(2026, 3, 1))


def test_the_persian_about_page_is_in_persian(tmp_path):
    npm_package("iframe-worker")
    project = copy_project(tmp_path, RELAYS)
    (project / "keys").mkdir()
    shutil.copyfile(REPO / "keys" / "allowed_signers", project / "keys" / "allowed_signers")
    corpus = check(Layout.under(project), languages=("fa",)).corpus
    site = build_offline_site(project / "mkdocs.fa.yml", corpus, project, tmp_path / "site", NODE_MODULES)
    page = (site.folder / "edition.html").read_text(encoding="utf-8")
    article = page.split("<article", 1)[1].split("</article>", 1)[0]
    assert "دربارهٔ این نسخه" in article and "چگونه اصالت این نسخه را وارسی کنیم" in article
    assert "همهٔ اصلاحیه‌ها و تغییر حکم‌ها از زمان نخستین انتشار ادعاها:" in article
    changes = listed_changes(article)
    assert [(d, link) for d, link, _ in changes] == [("2026-04-02", "claims/mayor-tunnel-escape-plan.html#change-2")]
    assert f'<time datetime="2026-04-02">{long_date(dt.date(2026, 4, 2), "fa")}</time>' in article
    assert f'<time datetime="{site.date}">{long_date(site.date, "fa")}</time>' in article
    assert "۱۴۰۵" in article  # the Solar Hijri year, in Persian digits
    dates = re.findall(r"<time[^>]*>(.*?)</time>", article)
    assert dates and not any(re.search("[0-9]", d) for d in dates)  # no Latin digits in any date
    home = (site.folder / "index.html").read_text(encoding="utf-8")
    assert re.search(r'href="edition\.html"[^>]*>\s*(<span[^>]*>)?\s*دربارهٔ این نسخه', home)
    readme = (site.folder / "README.txt").read_text(encoding="utf-8")
    assert "وارسی اصالت این نسخه" in readme and "sha256sum -c --ignore-missing SHA256SUMS" in readme
