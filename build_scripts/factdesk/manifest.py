"""Copies anyone can check: the checksums of the editions, signed with the project's published key.

`factdesk sign` writes three files next to the editions: `SHA256SUMS` (as `sha256sum` writes it), its signature
`SHA256SUMS.sig` (made by OpenSSH's `ssh-keygen -Y sign`, checked by anyone with `ssh-keygen -Y verify`) and
`editions.json` (what the website's Editions page lists). The public key is published in the repository, in
allowed_signers format; the private key never is: it comes from a file or from an environment variable.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import datetime as dt
import hashlib
import json
import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

NAMESPACE = "factdesk-editions"  # what the signature is for; a signature made for anything else does not verify
KEY_ENV = "FACTDESK_SIGNING_KEY"  # the private key's text, for a publishing workflow that keeps it in a secret
ALLOWED_SIGNERS = "keys/allowed_signers"  # the published public key, relative to the project folder
EDITIONS_JSON = "editions.json"
EDITIONS_FILE = "dist/" + EDITIONS_JSON  # where the site's Editions page reads it, relative to the project folder
SUMS = "SHA256SUMS"
SIGNATURE = SUMS + ".sig"
FORMATS = {".zip": "zip", ".html": "html", ".zim": "zim"}  # file extension -> edition format
FORMAT_NAME = "factdesk-editions"
FORMAT_VERSION = 1
NO_KEY = (f"no signing key: pass --key FILE or set {KEY_ENV} "
          "(the publish workflow takes it from its secrets)")
_DATE_IN_NAME = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEY_IN_LINE = re.compile(r"(?:^|\s)((?:ssh|ecdsa|sk-ssh|sk-ecdsa)-[\w@.-]+)\s+([A-Za-z0-9+/]+={0,2})(?:\s|$)")


class ManifestError(ValueError):
    """The editions cannot be listed, signed or read (bad input); the message says why and what to do."""


@dataclass(frozen=True)
class EditionFile:
    """One edition file, as editions.json lists it."""

    name: str  # the file's name, in the folder of SHA256SUMS
    format: str  # zip, html or zim
    language: str
    date: dt.date
    bytes: int
    sha256: str


@dataclass(frozen=True)
class Manifest:
    """The editions of one date, listed in SHA256SUMS and editions.json in `folder`."""

    folder: Path
    date: dt.date
    editions: tuple[EditionFile, ...]

    @property
    def sums(self) -> Path:
        return self.folder / SUMS

    @property
    def json(self) -> Path:
        return self.folder / EDITIONS_JSON

    @property
    def signature(self) -> Path:
        return self.folder / SIGNATURE


@dataclass(frozen=True)
class PublishedKey:
    """The public key editions are signed with, as its allowed_signers line gives it."""

    principal: str  # who signs, the `-I` of `ssh-keygen -Y verify`
    key: str  # "ssh-ed25519 AAAA…"
    line: str  # the whole line, as a reader's copy of allowed_signers holds it

    @property
    def fingerprint(self) -> str:
        """The key's SHA256 fingerprint, as `ssh-keygen -Y verify` prints it."""
        blob = base64.b64decode(self.key.split()[1])
        return "SHA256:" + base64.b64encode(hashlib.sha256(blob).digest()).decode("ascii").rstrip("=")


@dataclass(frozen=True)
class Publication:
    """What the website's Editions page, or an edition's About page, says about the editions."""

    editions: tuple[EditionFile, ...] = ()
    date: dt.date | None = None  # the published editions' date
    signed: bool = False  # SHA256SUMS.sig is published with them
    key: PublishedKey | None = None
    copy_date: dt.date | None = None  # set in an offline edition: its own date
    previous: dt.date | None = None  # in an offline edition: the date of the edition before it
    namespace: str = NAMESPACE


def write_manifest(out_dir: Path, files: Sequence[tuple[Path, str]], *, date: dt.date) -> Manifest:
    """Write SHA256SUMS and editions.json for `files`, given as (path, language) pairs of files in `out_dir`.

    Each file is replaced whole (a temporary name, then a rename): a reader never sees half a manifest."""
    editions = []
    for path, language in files:
        if path.parent.resolve() != out_dir.resolve():
            raise ManifestError(f"{_shown(path)}: an edition must be in {_shown(out_dir)}, the folder of its {SUMS}")
        if path.suffix not in FORMATS:
            raise ManifestError(f"{_shown(path)}: not an edition file; expected a name ending in "
                                f"{', '.join(FORMATS)}")
        if any(c in path.name for c in "\\\n\r"):
            raise ManifestError(f"{_shown(path)}: rename it: a backslash or a line break in a name would make {SUMS} "
                                "unreadable for sha256sum")
        try:
            with path.open("rb") as fh:
                digest = hashlib.file_digest(fh, "sha256").hexdigest()
            size = path.stat().st_size
        except OSError as exc:
            raise ManifestError(f"{_shown(path)}: cannot read it: {exc.strerror}") from None
        editions.append(EditionFile(path.name, FORMATS[path.suffix], language, date, size, digest))
    editions.sort(key=lambda e: e.name)
    manifest = Manifest(out_dir, date, tuple(editions))
    sums = "".join(f"{e.sha256}  {e.name}\n" for e in editions)
    _write(manifest.sums, sums)
    try:
        _write(manifest.json, editions_json(manifest))
    except BaseException:
        manifest.sums.unlink(missing_ok=True)
        raise
    return manifest


def editions_json(manifest: Manifest) -> str:
    """The text of editions.json: the format's name and version, the date and one object per edition."""
    data = {"format": FORMAT_NAME, "version": FORMAT_VERSION, "date": manifest.date.isoformat(),
            "editions": [{**dataclasses.asdict(e), "date": e.date.isoformat()} for e in manifest.editions]}
    return json.dumps(data, indent=1, ensure_ascii=False) + "\n"


def sign(manifest: Path, key: Path | str | None = None, *, allowed_signers: Path) -> Path:
    """Sign `manifest` (SHA256SUMS) with `key`, a private key file or its text (None: the environment variable
    FACTDESK_SIGNING_KEY), check the signature against the published key, and return the signature's path.

    The signature appears only once it verifies; ssh-keygen never waits for a passphrase."""
    published = check_key(key, allowed_signers=allowed_signers)
    target = manifest.with_name(manifest.name + ".sig")
    with tempfile.TemporaryDirectory(prefix=".factdesk-sign-", dir=manifest.parent) as tmp, \
            _key_file(key) as private:
        copy = Path(tmp, manifest.name)
        shutil.copyfile(manifest, copy)
        _ssh_keygen(["-Y", "sign", "-f", str(private), "-P", "", "-n", NAMESPACE, str(copy)], "sign",
                    _key_label(key))
        signature = copy.with_name(copy.name + ".sig")
        if not verify(copy, signature, allowed_signers, published.principal):
            raise ManifestError(f"ssh-keygen does not accept the new signature with {_shown(allowed_signers)}; "
                                f"hint: check that its line for {published.principal} allows the namespace "
                                f"{NAMESPACE}")
        if copy.read_bytes() != manifest.read_bytes():
            raise ManifestError(f"{_shown(manifest)} changed while it was being signed; sign it again")
        os.replace(signature, target)
    return target


def verify(manifest: Path, signature: Path, allowed_signers: Path, principal: str) -> bool:
    """Whether `ssh-keygen -Y verify` accepts the signature of `manifest` by `principal`, as a reader checks it."""
    with manifest.open("rb") as data:
        done = subprocess.run([_ssh_keygen_path(), "-Y", "verify", "-f", str(allowed_signers), "-I", principal,
                               "-n", NAMESPACE, "-s", str(signature)], stdin=data, capture_output=True,
                              env=_quiet_env(), start_new_session=True, timeout=60)
    return done.returncode == 0


def check_key(key: Path | str | None = None, *, allowed_signers: Path) -> PublishedKey:
    """The published key that `key` is the private half of; ManifestError when there is no such key, when it
    cannot be read or needs a passphrase, when it is not the published one or when ssh-keygen is missing."""
    published = published_keys(allowed_signers)
    if not published:
        raise ManifestError(f"{_shown(allowed_signers)} holds no key; hint: publish the public key there "
                            "(see keys/README.md)")
    with _key_file(key) as private:
        public = _ssh_keygen(["-y", "-P", "", "-f", str(private)], "read", _key_label(key)).split()
    found = next((p for p in published if p.key.split() == public[:2]), None)
    if found is None:
        raise ManifestError(f"the signing key does not match {_shown(allowed_signers)}; hint: sign with the private "
                            "half of the key published there, or replace keys/allowed_signers and "
                            "keys/editions.pub with the new key's public half (see keys/README.md)")
    return found


def published_keys(allowed_signers: Path) -> list[PublishedKey]:
    """The keys of an allowed_signers file (`PRINCIPALS [OPTIONS] KEYTYPE BASE64 [COMMENT]` per line)."""
    try:
        text = allowed_signers.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ManifestError(f"{_shown(allowed_signers)} is missing; hint: the repository publishes its public "
                            "key there (see keys/README.md), or set the factdesk option signing_key") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{_shown(allowed_signers)}: cannot read it: {getattr(exc, 'strerror', exc)}") from None
    out = []
    for number, line in enumerate(text.splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        match = _KEY_IN_LINE.search(line)
        if match is None or match.start() == 0:
            raise ManifestError(f"{_shown(allowed_signers)}:{number}: expected 'PRINCIPAL [OPTIONS] KEYTYPE KEY', "
                                f"found {line[:60]!r}; hint: write the principal, then the public key "
                                "(see keys/README.md)")
        out.append(PublishedKey(line.split()[0].split(",")[0], f"{match.group(1)} {match.group(2)}", line))
    return out


def published_key(allowed_signers: Path) -> PublishedKey | None:
    """The first key of an allowed_signers file, or None when the file does not exist."""
    if not allowed_signers.is_file():
        return None
    return next(iter(published_keys(allowed_signers)), None)


def publication(editions: Path, allowed_signers: Path, *, copy_date: dt.date | None = None,
                previous: dt.date | None = None) -> Publication:
    """What the pages say: the editions listed in `editions` (editions.json, when it exists; an offline edition
    lists none) and the published key."""
    key = published_key(allowed_signers)
    if copy_date is not None:
        check_previous(copy_date, previous)
        return Publication(key=key, copy_date=copy_date, previous=previous)
    if not editions.is_file():
        return Publication(key=key)
    manifest = read_manifest(editions)
    for edition in manifest.editions:
        path = manifest.folder / edition.name
        if not path.is_file():
            raise ManifestError(f"{_shown(editions)} lists {edition.name}, which is not in {_shown(manifest.folder)}; "
                                "hint: run `factdesk bundle`, then `factdesk sign`, again")
        if path.stat().st_size != edition.bytes:
            raise ManifestError(f"{_shown(path)} has {path.stat().st_size:,} bytes, but {_shown(editions)} says "
                                f"{edition.bytes:,}: the file changed after it was signed; hint: run "
                                "`factdesk sign` again")
    return Publication(manifest.editions, manifest.date, manifest.signature.is_file(), key)


def check_previous(copy_date: dt.date, previous: dt.date | None) -> None:
    """ManifestError when the previous edition is dated after this one."""
    if previous is not None and previous > copy_date:
        raise ManifestError(f"the previous edition ({previous.isoformat()}) is newer than this one "
                            f"({copy_date.isoformat()}); hint: give the date of an earlier edition")


def read_manifest(path: Path) -> Manifest:
    """An editions.json as written by `factdesk sign`; ManifestError naming the field that is wrong."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ManifestError(f"{_shown(path)} does not exist; hint: give the editions.json of the previous "
                            "edition, or its date as YYYY-MM-DD") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ManifestError(f"{_shown(path)}: cannot read it: {getattr(exc, 'strerror', exc)}") from None
    except json.JSONDecodeError as exc:
        raise ManifestError(f"{_shown(path)}:{exc.lineno}:{exc.colno}: not JSON: {exc.msg}; hint: it is written "
                            "by `factdesk sign`") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ManifestError(f"{_shown(path)}: not an editions.json (expected \"format\": \"{FORMAT_NAME}\"); "
                            "hint: it is written by `factdesk sign`")
    date = _field(path, "date", data.get("date"), dt.date)
    items = data.get("editions")
    if not isinstance(items, list):
        raise ManifestError(f"{_shown(path)}: editions: expected a list, found {items!r}")
    editions = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            raise ManifestError(f"{_shown(path)}: editions[{i}]: expected an object, found {item!r}")
        values = {f.name: _field(path, f"editions[{i}].{f.name}", item.get(f.name), f.type)
                  for f in dataclasses.fields(EditionFile)}
        edition = EditionFile(**values)
        if Path(edition.name).name != edition.name or edition.name.startswith("."):
            raise ManifestError(f"{_shown(path)}: editions[{i}].name: expected a file name, found {edition.name!r}")
        editions.append(edition)
    return Manifest(path.parent, date, tuple(editions))


def previous_edition(value: str) -> dt.date:
    """The date of the previous edition, given as YYYY-MM-DD or as the path of its editions.json."""
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        pass
    path = Path(value)
    if path.suffix != ".json" and not path.is_file():
        raise ManifestError(f"expected a date as YYYY-MM-DD or the path of a previous editions.json, "
                            f"found {value!r}")
    return read_manifest(path).date


def language_in_name(name: str, languages: Sequence[str], default: str) -> str:
    """The language an edition's file name names (`site-fa-offline-2026-02-03.zip`), else `default`."""
    words = set(re.split(r"[-_.]", Path(name).stem))
    return next((code for code in languages if code != default and code in words), default)


def date_in_name(name: str) -> dt.date | None:
    """The last YYYY-MM-DD date in a file name, as `factdesk bundle` names editions."""
    found = _DATE_IN_NAME.findall(Path(name).stem)
    try:
        return dt.date.fromisoformat(found[-1]) if found else None
    except ValueError:
        return None


def copy_editions(editions: Path, allowed_signers: Path, target: Path) -> list[Path]:
    """The published files, linked (or copied) into `target`: the editions listed in `editions` (when it exists),
    the manifest, its signature, and the public key."""
    sources = [allowed_signers]
    if editions.is_file():
        manifest = read_manifest(editions)
        names = [e.name for e in manifest.editions] + [SUMS, SIGNATURE, EDITIONS_JSON]
        sources += [manifest.folder / n for n in names]
    made = []
    for source in sources:
        if not source.is_file():
            continue
        target.mkdir(parents=True, exist_ok=True)
        made.append(target / source.name)
        made[-1].unlink(missing_ok=True)
        if source.suffix in FORMATS:  # the editions are large and replaced, never rewritten: no second copy
            with contextlib.suppress(OSError):  # (another file system: copied)
                os.link(source, made[-1])
                continue
        shutil.copyfile(source, made[-1])
    return made


def _field(path: Path, name: str, value, kind):
    kind = {"str": str, "int": int, "dt.date": dt.date}.get(kind, kind)
    if kind is dt.date and isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    elif isinstance(value, kind) and not isinstance(value, bool):
        return value
    expected = {str: "text", int: "a whole number", dt.date: "a date as YYYY-MM-DD"}[kind]
    raise ManifestError(f"{_shown(path)}: {name}: expected {expected}, found {value!r}; hint: it is written by "
                        "`factdesk sign`")


@contextlib.contextmanager
def _key_file(key: Path | str | None) -> Iterator[Path]:
    """The private key in a file only its owner can read (ssh-keygen refuses others), deleted afterwards."""
    if key is None:
        key = os.environ.get(KEY_ENV) or None
    if key is None:
        raise ManifestError(NO_KEY)
    if isinstance(key, Path):
        try:
            text = key.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise ManifestError(f"the signing key {key}: cannot read it: {getattr(exc, 'strerror', exc)}; hint: "
                                "pass the private key file that ssh-keygen wrote") from None
    else:
        text = key
    text = text.replace("\r\n", "\n")  # a key pasted into a web form (a workflow's secret) may come back so
    if "PRIVATE KEY" not in text:
        raise ManifestError(f"{_key_label(key)} is not a private key; hint: give the private half "
                            "(-----BEGIN OPENSSH PRIVATE KEY-----…), not the .pub file")
    fd, name = tempfile.mkstemp(prefix="factdesk-key-")  # mkstemp creates it readable by its owner only
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
        yield Path(name)
    finally:
        os.unlink(name)


def _key_label(key: Path | str | None) -> str:
    return f"the signing key {key}" if isinstance(key, Path) else f"the signing key in {KEY_ENV}"


def _ssh_keygen(args: list[str], doing: str, label: str) -> str:
    """Run ssh-keygen without a terminal or an agent, so that it can never wait for a passphrase."""
    try:
        done = subprocess.run([_ssh_keygen_path(), *args], stdin=subprocess.DEVNULL, capture_output=True,
                              text=True, env=_quiet_env(), start_new_session=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise ManifestError(f"ssh-keygen did not {doing} within 60 s; hint: is {label} on a slow or "
                            "remote disk?") from None
    if done.returncode != 0:
        said = (done.stderr.strip().splitlines() or ["no reason given"])[-1]
        said = re.sub(r'^Load key "[^"]*": ', "", said)  # it names the temporary file, of no use to the reader
        if "passphrase" in said:
            raise ManifestError(f"{label} is protected by a passphrase, which cannot be typed in here; "
                                "hint: sign with a key made with `ssh-keygen -N ''` (see keys/README.md)")
        if doing == "read":
            raise ManifestError(f"{label} is not a usable private key (ssh-keygen: {said}); hint: give "
                                "the private key file that `ssh-keygen -t ed25519` wrote")
        raise ManifestError(f"ssh-keygen could not {doing}: {said}")
    return done.stdout


def _ssh_keygen_path() -> str:
    found = shutil.which("ssh-keygen")
    if found is None:
        raise ManifestError("ssh-keygen is not installed; hint: install OpenSSH's client (Debian and Ubuntu: "
                            "apt install openssh-client; macOS and Windows 10 and 11 include it)")
    return found


def _quiet_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("SSH_AUTH_SOCK", "SSH_ASKPASS", "DISPLAY")}


def _write(path: Path, text: str) -> None:
    """Write a file under a temporary name and rename it into place."""
    fd, partial = tempfile.mkstemp(prefix=f".{path.name}-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        os.chmod(partial, 0o644)
        os.replace(partial, path)
    except BaseException:
        Path(partial).unlink(missing_ok=True)
        raise


def _shown(path: Path) -> str:
    """A path as the user would type it: relative to the current folder when it is inside it."""
    try:
        return Path(path).resolve().relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return str(path)
