"""The `factdesk` command: check, build and preview a fact-check site."""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import click

from .crosscheck import MIN_ORIGINS
from .problems import format_github, format_report, plural, report_data

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="factdesk")


def _parse_today(ctx, param, value: str | None) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"expected a date as YYYY-MM-DD, found {value!r}") from None


today_option = click.option(
    "--today", metavar="YYYY-MM-DD", default=None, callback=_parse_today,
    help="Check as if today were this date (default: the system date), for reproducible runs.")

config_option = click.option(
    "-f", "--config-file", type=click.Path(dir_okay=False, path_type=Path), default=None,
    help="The project's mkdocs.yml (default: ./mkdocs.yml).")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="factdesk")
def cli() -> None:
    """Check claim files and build them into a fact-check site."""


@cli.command("check")
@config_option
@click.option("--strict", is_flag=True, help="Treat warnings as errors.")
@click.option("--format", "output_format", type=click.Choice(["text", "github", "json"]), default="text",
              show_default=True, help="text for people, github for annotations in a pull request, json for tools.")
@click.option("--changed-since", "ref", metavar="GIT-REF", default=None,
              help="Report per-file problems only for files changed since this git ref, and reject a verdict "
                   "that changed without a new history entry. Cross-file checks still cover everything.")
@today_option
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
def check_command(config_file: Path | None, strict: bool, output_format: str, ref: str | None,
                  today: dt.date | None, paths: tuple[Path, ...]) -> None:
    """Validate all claim, source and rating files; exit 1 if any has a problem.

    Given PATHS (as pre-commit passes them), per-file problems are reported for those files only.
    Claims whose next review date has passed are reported too (a warning; an error with --strict).
    """
    from .changes import GitError, baseline
    from .pipeline import check

    layout, options = _layout(config_file)
    started = time.perf_counter()
    only = frozenset(layout.rel(p.resolve()) for p in paths) if paths else None
    since = None
    if ref is not None:
        try:
            since = baseline(layout, ref)
        except GitError as exc:
            raise click.UsageError(str(exc)) from None
        only = since.changed if only is None else only & since.changed
    result = check(layout, today=today, strict=strict or options.strict, only=only, since=since,
                   min_origins=options.min_origins, reviews_due=True, languages=options.languages,
                   strict_translations=options.strict_translations)
    elapsed = time.perf_counter() - started
    corpus = result.corpus
    if output_format == "json":
        click.echo(json.dumps(report_data(result.problems, claims=len(corpus.claims), sources=len(corpus.sources)),
                              indent=2, ensure_ascii=False))
    elif output_format == "github":
        click.echo(format_github(result.problems))
    else:
        if result.problems:
            click.echo(format_report(result.problems), err=not result.ok)
        if result.ok:
            click.echo(f"Checked {plural(len(corpus.claims), 'claim')} and {plural(len(corpus.sources), 'source')} "
                       f"in {elapsed:.2f} s: OK.")
    sys.exit(0 if result.ok else 1)


@cli.command("build")
@config_option
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: site_dir of mkdocs.yml).")
@click.option("--strict/--no-strict", default=True, show_default=True,
              help="Fail on any warning, from the data or from MkDocs.")
def build_command(config_file: Path | None, site_dir: Path | None, strict: bool) -> None:
    """Check the data and build the site; the old site is replaced only if the build succeeds."""
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_path = _config_path(config_file)
    _, options = _layout(config_file)
    editions = _edition_configs(config_path, options.languages)
    _show_mkdocs_warnings()
    started = time.perf_counter()
    try:
        loading = config_path
        configs = [load_config(str(config_path), strict=strict)]  # every edition's configuration is checked first
        for _, loading in editions:
            configs.append(load_config(str(loading), strict=strict))
    except MkDocsException as exc:
        raise click.ClickException(f"{loading}: {exc}") from None
    target = Path(site_dir).resolve() if site_dir else Path(configs[0].site_dir)
    # Each further edition in its own folder of the site (site/fa/ for the Persian one).
    builds = [(config_path, target), *((path, target / language) for language, path in editions)]
    # SIGTERM (a CI timeout, `kill`) stops the build like Ctrl-C does, so the staging folder is removed.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        _build_editions(builds, configs, strict)
    except (Exception, SystemExit) as exc:
        click.echo(_failure(exc), err=True)
        click.echo(f"Build failed; the previous site in {target} was left untouched.", err=True)
        sys.exit(1)
    pages = sum(1 for _ in target.rglob("*.html"))
    click.echo(f"Built {pages} pages in {time.perf_counter() - started:.1f} s.")
    click.echo(f"Site: {target}  (open {target / 'index.html'})")


def _build_editions(builds: list[tuple[Path, Path]], configs: list, strict: bool) -> None:
    """Build each configuration into its folder as one run of MkDocs, sending every edition's plugins the events
    `mkdocs build` sends: startup, the builds, shutdown. The factdesk plugin writes each build aside and puts them
    all in place at shutdown, or none: a failure anywhere leaves the previous site and all its editions.

    MkDocs keeps one instance of each plugin for the whole process, and loading a configuration gives those
    instances its options, so each configuration is loaded again just before its own build.
    """
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.plugins import PluginCollection

    plugins = PluginCollection()  # each plugin once, in case an edition has one that the others lack
    for config in configs:
        for name, plugin in config.plugins.items():
            if name not in plugins:
                plugins[name] = plugin
    plugins.on_startup(command="build", dirty=False)
    try:
        for path, folder in builds:
            build(load_config(str(path), strict=strict, site_dir=str(folder)))
    finally:
        plugins.on_shutdown()


FORMATS = ("zip", "html", "zim")  # the editions `factdesk bundle` makes; see bundle.py


@cli.command("bundle")
@config_option
@click.option("-o", "--output-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the editions (default: dist/ next to mkdocs.yml).")
@click.option("--format", "formats", type=click.Choice([*FORMATS, "all"]), multiple=True,
              help="Which edition to make, for every language: zip (a folder of pages for a computer), html (one "
                   "file for a phone), zim (for the Kiwix reader), or all. Repeatable; default: zip.")
@click.option("--previous", metavar="DATE|FILE", default=None,
              help="The previous edition, as a date (YYYY-MM-DD) or its editions.json: each edition lists the "
                   "corrections made since. Without it, every correction is listed.")
@click.option("--node-modules", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="The npm packages folder holding iframe-worker (default: the nearest node_modules/).")
def bundle_command(config_file: Path | None, output_dir: Path | None, formats: tuple[str, ...],
                   previous: str | None, node_modules: Path | None) -> None:
    """Build the offline editions of the site, one per language and format, that work without any network."""
    from mkdocs.exceptions import MkDocsException

    from .bundle import BundleError, make_editions
    from .memo import FOLDER as MEMO_FOLDER
    from .memo import Memo
    from .pipeline import check

    chosen = FORMATS if "all" in formats else tuple(f for f in FORMATS if f in (formats or ("zip",)))
    config_path = _config_path(config_file)
    layout, options = _layout(config_file)
    since = None
    if previous is not None:
        from .manifest import previous_edition

        try:
            since = previous_edition(previous)
        except ValueError as exc:
            raise click.BadParameter(str(exc), param_hint="--previous") from None
    result = check(layout, strict=True, min_origins=options.min_origins,  # as strict as `factdesk build`
                   languages=options.languages, strict_translations=options.strict_translations,
                   memo=Memo(config_path.parent / MEMO_FOLDER))
    if not result.ok:
        click.echo(format_report(result.problems), err=True)
        click.echo("No bundle was made.", err=True)
        sys.exit(1)
    modules = node_modules or next((p / "node_modules" for p in (config_path.parent, *config_path.parent.parents)
                                    if (p / "node_modules").is_dir()), config_path.parent / "node_modules")
    editions = [(None, config_path), *_edition_configs(config_path, options.languages)]
    _show_mkdocs_warnings()
    out = (output_dir or config_path.parent / "dist").resolve()
    try:
        made = make_editions(editions, result.corpus, layout.root, out, modules.resolve(), chosen, previous=since)
    except (BundleError, MkDocsException, OSError, SystemExit) as exc:
        message = str(exc) if str(exc) not in ("", "1") else "the build failed"
        click.echo(f"Error: {message}", err=True)
        click.echo("No bundle was made.", err=True)
        sys.exit(1)
    for edition in made:
        click.echo(f"Bundled {edition.pages} pages in {edition.seconds:.1f} s: {edition.describe()}.")
        click.echo(f"Bundle: {edition.path}")


@cli.command("sign")
@config_option
@click.argument("folder", required=False, type=click.Path(file_okay=False, path_type=Path))
@click.option("--key", "key_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The private key to sign with (default: the key's text in the environment variable "
                   "FACTDESK_SIGNING_KEY). Never commit it.")
@click.option("--allowed-signers", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The published public key the signature must match (default: the factdesk option "
                   "signing_key, keys/allowed_signers).")
@click.option("--date", "day", metavar="YYYY-MM-DD", default=None, callback=_parse_today,
              help="The editions' date (default: the date in their file names).")
def sign_command(config_file: Path | None, folder: Path | None, key_file: Path | None,
                 allowed_signers: Path | None, day: dt.date | None) -> None:
    """Sign the editions in FOLDER (default: dist/ next to mkdocs.yml, or the folder of the factdesk option
    editions), as made by `factdesk bundle`.

    Writes SHA256SUMS, its signature SHA256SUMS.sig (checked against the published key) and editions.json,
    which the site's Editions page lists; on any failure, none of them.
    """
    from . import manifest

    config_path = _config_path(config_file)
    _, options = _layout(config_file)
    settings = _plugin_options(config_path)
    # Where the site's Editions page reads editions.json from (the factdesk option editions): dist/ by default.
    folder = folder or (config_path.parent / settings.get("editions", manifest.EDITIONS_FILE)).parent
    allowed = allowed_signers or config_path.parent / settings.get("signing_key", manifest.ALLOWED_SIGNERS)
    if not folder.is_dir():
        raise click.UsageError(f"{folder} is not a folder; make the editions first: factdesk bundle")
    files = sorted(p for p in folder.iterdir() if p.suffix in manifest.FORMATS and p.is_file()
                   and not p.name.startswith("."))
    if not files:
        raise click.ClickException(f"no editions in {folder} (files ending in {', '.join(manifest.FORMATS)}); "
                                   "make them first: factdesk bundle")
    if day is None:
        dates = {p.name: manifest.date_in_name(p.name) for p in files}
        undated = [name for name, found in dates.items() if found is None]
        if undated:
            raise click.ClickException(f"cannot tell the date of {folder / undated[0]} from its name; "
                                       "pass --date YYYY-MM-DD")
        if len(set(dates.values())) > 1:
            shown = ", ".join(sorted(str(d) for d in set(dates.values())))
            raise click.ClickException(f"{folder} holds editions of several dates ({shown}); move the older ones "
                                       "out of it, or pass --date YYYY-MM-DD")
        day = next(d for d in dates.values() if d is not None)
    source = settings.get("source_language", "en")
    pairs = [(p, manifest.language_in_name(p.name, options.languages, source)) for p in files]
    try:
        key = manifest.check_key(key_file, allowed_signers=allowed)  # nothing is written for a wrong key
        made = manifest.write_manifest(folder, pairs, date=day)
        try:
            manifest.sign(made.sums, key_file, allowed_signers=allowed)
        except BaseException:
            for path in (made.sums, made.json, made.signature):
                path.unlink(missing_ok=True)
            raise
    except manifest.ManifestError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Signed {len(made.editions)} edition(s) of {day} as {key.principal} ({key.fingerprint}):")
    width = max(len(e.name) for e in made.editions)
    for edition in made.editions:
        click.echo(f"  {edition.name:<{width}}  {edition.language:<5} {edition.bytes:>13,} bytes  "
                   f"sha256 {edition.sha256}")
    click.echo(f"Wrote {manifest.SUMS}, {manifest.SIGNATURE} and {manifest.EDITIONS_JSON} in {folder}.")


@cli.command("review")
@config_option
@today_option
@click.option("--all", "show_all", is_flag=True,
              help="Also list claims with no next review date, the longest unreviewed first.")
def review_command(config_file: Path | None, today: dt.date | None, show_all: bool) -> None:
    """List the claims due for another check, soonest first; exit 1 if any is overdue."""
    from .pipeline import check
    from .review import due_list, format_due

    layout, options = _layout(config_file)
    result = check(layout, today=today, min_origins=options.min_origins, languages=options.languages)
    if not result.ok:
        click.echo(format_report(result.problems), err=True)
        sys.exit(1)
    rows = due_list(result.corpus, today or dt.date.today(), include_undated=show_all)
    click.echo(format_due(rows, today or dt.date.today()))
    sys.exit(1 if any(row.overdue for row in rows) else 0)


@cli.command("translations")
@config_option
@click.argument("language")
@click.option("--all", "show_all", is_flag=True, help="Also list the translations that are up to date.")
def translations_command(config_file: Path | None, language: str, show_all: bool) -> None:
    """List the claims and sources whose translation into LANGUAGE is missing or out of date.

    Each line gives the file to write and the version of the original to put in its `translates:` field.
    Exit 1 when a translation is out of date.
    """
    from .pipeline import check
    from .translations import format_statuses, language_problem, statuses

    layout, options = _layout(config_file)
    wrong = language_problem(language, options.languages)
    if wrong is not None:
        raise click.UsageError(f"{wrong[0].replace(' in the file name', '')}. Hint: {wrong[1]}")
    result = check(layout, min_origins=options.min_origins, languages=options.languages)
    if not result.ok:
        click.echo(format_report(result.problems), err=True)
        sys.exit(1)
    rows = statuses(result.corpus, language)
    click.echo(format_statuses(rows, language, show_current=show_all))
    sys.exit(1 if any(row.state == "stale" for row in rows) else 0)


@cli.command("serve")
@config_option
@click.option("-a", "--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
def serve_command(config_file: Path | None, dev_addr: str) -> None:
    """Preview the site; it rebuilds when a claim, source or page changes."""
    from mkdocs.commands.serve import serve

    config_path = _config_path(config_file)
    _show_mkdocs_warnings(level=logging.INFO)
    # Dirty builds let the factdesk plugin rebuild only the pages an edit changed (see preview.py).
    serve(config_file=str(config_path), dev_addr=dev_addr, livereload=True, build_type="dirty")


@cli.group("new")
def new_group() -> None:
    """Start a claim or source file from a commented template."""


@new_group.command("claim")
@config_option
@click.argument("claim_id", metavar="ID")
def new_claim_command(config_file: Path | None, claim_id: str) -> None:
    """Write claims/ID.yaml with every field explained and today's date."""
    _new_record(config_file, "claim", claim_id)


@new_group.command("source")
@config_option
@click.argument("source_id", metavar="ID")
def new_source_command(config_file: Path | None, source_id: str) -> None:
    """Write the sources folder's ID.yaml with every field explained and today's date."""
    _new_record(config_file, "source", source_id)


@new_group.command("translation")
@config_option
@click.argument("record_id", metavar="ID")
@click.argument("language")
def new_translation_command(config_file: Path | None, record_id: str, language: str) -> None:
    """Write ID.LANGUAGE.yaml next to claim or source ID, with its text to translate as comments."""
    from .pipeline import check
    from .translations import language_problem, template

    layout, options = _layout(config_file)
    wrong = language_problem(language, options.languages)
    if wrong is not None:
        raise click.UsageError(f"{wrong[0].replace(' in the file name', '')}. Hint: {wrong[1]}")
    corpus = check(layout, min_origins=0, languages=options.languages).corpus
    record = corpus.claim(record_id) or corpus.source(record_id)
    if record is None:
        raise click.ClickException(f"no claim or source with the id '{record_id}'")
    target = layout.root / (record.origin.path[: -len(".yaml")] + f".{language}.yaml")
    if target.exists():
        raise click.ClickException(f"{layout.rel(target)} already exists; edit it")
    target.write_text(template(record, language), encoding="utf-8")
    click.echo(f"Wrote {layout.rel(target)}. Translate each field, then run: factdesk check")


@cli.command("init")
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("--title", default="Fact checks", show_default=True, help="The site's name.")
@click.option("--site-url", default="https://example.org/", show_default=True,
              help="The site's public address (claim pages give it to search engines).")
@click.option("--language", default="en", show_default=True,
              help="The language the desk writes in (a code such as fa or de): the theme's and the interface's.")
def init_command(folder: Path, title: str, site_url: str, language: str) -> None:
    """Create a new fact-check project in FOLDER (new or empty), with an example claim, ready to build."""
    from .scaffold import ScaffoldError, init_project

    try:
        init_project(folder, title=title, site_url=site_url, language=language)
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Created a fact-check project in {folder}. Next:\n"
               f"  cd {folder}\n  factdesk check\n  factdesk serve")


# -- helpers -----------------------------------------------------------------------------------

def _new_record(config_file: Path | None, kind: str, record_id: str) -> None:
    from .scaffold import ScaffoldError, new_record

    layout, _ = _layout(config_file)
    try:
        path = new_record(layout, kind, record_id, dt.date.today())
    except ScaffoldError as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Wrote {layout.rel(path)}. Fill in the empty fields, then run: factdesk check")


def _edition_configs(config_path: Path, languages: tuple[str, ...]) -> list[tuple[str, Path]]:
    """The configuration of each further edition: mkdocs.<language>.yml next to mkdocs.yml."""
    found = []
    for language in languages:
        path = config_path.with_name(f"{config_path.stem}.{language}{config_path.suffix}")
        if not path.is_file():
            raise click.UsageError(f"the factdesk option languages lists '{language}', but {path.name} is missing; "
                                   f"write it next to {config_path.name} (theme.language: {language}, "
                                   f"docs_dir: docs/{language})")
        found.append((language, path))
    return found


def _config_path(config_file: Path | None) -> Path:
    path = (config_file or Path("mkdocs.yml")).resolve()
    if not path.is_file():
        raise click.UsageError(f"no project configuration at {path}; run inside a project folder "
                               "or pass --config-file path/to/mkdocs.yml")
    return path


@dataclass(frozen=True)
class CheckOptions:
    """The factdesk plugin options that the check needs besides the folders."""

    strict: bool = False
    min_origins: int = MIN_ORIGINS
    languages: tuple[str, ...] = ()  # the editions besides the original, whose translations are read
    strict_translations: bool = False  # an out-of-date translation is an error


def _layout(config_file: Path | None):
    """The data layout named by the factdesk plugin's options in mkdocs.yml, and the check's options."""
    from .load import DEFAULT_PATHS, Layout

    path = _config_path(config_file)
    options = _plugin_options(path)
    for name in DEFAULT_PATHS:
        if not isinstance(options.get(name, ""), str):
            raise click.UsageError(f"{path}: the factdesk option {name} must be a path relative to {path.name}, "
                                   f"found {options[name]!r}")
    layout = Layout.under(path.parent, **{name: options[name] for name in DEFAULT_PATHS if name in options})
    min_origins = options.get("min_origins", MIN_ORIGINS)
    if not isinstance(min_origins, int) or isinstance(min_origins, bool) or min_origins < 0:
        raise click.UsageError(f"{path}: the factdesk option min_origins must be a whole number of 0 or more, "
                               f"found {min_origins!r}")
    languages = options.get("languages", [])
    if not isinstance(languages, list) or not all(isinstance(code, str) for code in languages):
        raise click.UsageError(f"{path}: the factdesk option languages must be a list of language codes, "
                               f"found {languages!r}")
    return layout, CheckOptions(bool(options.get("strict", False)), min_origins, tuple(languages),
                                bool(options.get("strict_translations", False)))


def _plugin_options(path: Path) -> dict:
    """The factdesk plugin's options, read without running MkDocs (mkdocs.yml may use custom tags)."""
    import yaml

    class Tolerant(yaml.SafeLoader):
        pass

    Tolerant.add_multi_constructor("", lambda loader, suffix, node: None)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=Tolerant) or {}
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        raise click.UsageError(f"{path}: cannot read it as YAML: {exc}") from None
    for entry in data.get("plugins") or []:
        if isinstance(entry, dict) and "factdesk" in entry:
            options = entry["factdesk"] or {}
            return {k: v for k, v in options.items() if isinstance(v, (str, bool, int, list))}
        if entry == "factdesk":
            return {}
    raise click.UsageError(f"{path} does not enable the factdesk plugin; add '- factdesk' under plugins:")


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt


def _failure(exc: BaseException) -> str:
    """One line saying why the build stopped (MkDocs has already logged the details of its own errors)."""
    from jinja2 import TemplateError, TemplateSyntaxError
    from mkdocs.exceptions import MkDocsException

    if isinstance(exc, (MkDocsException, SystemExit)):
        return str(exc) if str(exc) not in ("", "1", "None") else "the build failed"
    if isinstance(exc, TemplateSyntaxError):
        return f"{exc.filename or exc.name}:{exc.lineno}: template error: {exc.message}"
    if isinstance(exc, TemplateError):
        return f"template error: {exc.message}"
    return f"the build failed: {type(exc).__name__}: {exc}"


def _show_mkdocs_warnings(level: int = logging.WARNING) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(level)
