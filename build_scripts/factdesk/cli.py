"""The `factdesk` command: check, build and preview a fact-check site."""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

import click

from .problems import format_report

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def main() -> None:
    """Entry point of the console script."""
    cli(prog_name="factdesk")


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
def check_command(config_file: Path | None, strict: bool) -> None:
    """Validate all claim, source and rating files; exit 1 if any has a problem."""
    from .pipeline import check

    layout, plugin_strict = _layout(config_file)
    started = time.perf_counter()
    result = check(layout, strict=strict or plugin_strict)
    elapsed = time.perf_counter() - started
    if result.problems:
        click.echo(format_report(result.problems), err=not result.ok)
    corpus = result.corpus
    if result.ok:
        click.echo(f"Checked {len(corpus.claims)} claims and {len(corpus.sources)} sources in {elapsed:.2f} s: OK.")
    sys.exit(0 if result.ok else 1)


@cli.command("build")
@config_option
@click.option("-d", "--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Where to write the site (default: site_dir of mkdocs.yml).")
@click.option("--strict/--no-strict", default=True, show_default=True,
              help="Fail on any warning, from the data or from MkDocs.")
def build_command(config_file: Path | None, site_dir: Path | None, strict: bool) -> None:
    """Check the data and build the site; the old site is replaced only if the build succeeds."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import MkDocsException

    config_path = _config_path(config_file)
    _show_mkdocs_warnings()
    started = time.perf_counter()
    try:
        config = load_config(str(config_path), strict=strict)
    except MkDocsException as exc:
        raise click.ClickException(f"{config_path}: {exc}") from None
    target = Path(site_dir).resolve() if site_dir else Path(config.site_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-building-", dir=target.parent))
    config.site_dir = str(staging)
    try:
        build(config)
    except (MkDocsException, SystemExit) as exc:
        shutil.rmtree(staging, ignore_errors=True)
        message = str(exc) if str(exc) not in ("", "1") else "the build failed"
        click.echo(message, err=True)
        click.echo(f"Build failed; the previous site in {target} was left untouched.", err=True)
        sys.exit(1)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    _replace_dir(staging, target)
    pages = sum(1 for _ in target.rglob("*.html"))
    click.echo(f"Built {pages} pages in {time.perf_counter() - started:.1f} s.")
    click.echo(f"Site: {target}  (open {target / 'index.html'})")


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


# -- helpers -----------------------------------------------------------------------------------

def _config_path(config_file: Path | None) -> Path:
    path = (config_file or Path("mkdocs.yml")).resolve()
    if not path.is_file():
        raise click.UsageError(f"no project configuration at {path}; run inside a project folder "
                               "or pass --config-file path/to/mkdocs.yml")
    return path


def _layout(config_file: Path | None):
    """The data layout named by the factdesk plugin's options in mkdocs.yml."""
    from .load import Layout

    path = _config_path(config_file)
    options = _plugin_options(path)
    layout = Layout.under(path.parent, options.get("claims", "claims"), options.get("sources", "claims/sources"),
                          options.get("ratings", "ratings.yaml"))
    return layout, bool(options.get("strict", False))


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
            return {k: v for k, v in options.items() if isinstance(v, (str, bool))}
        if entry == "factdesk":
            return {}
    raise click.UsageError(f"{path} does not enable the factdesk plugin; add '- factdesk' under plugins:")


def _replace_dir(new: Path, target: Path) -> None:
    """Swap the freshly built folder into place, keeping the old one until the new one is there."""
    old = None
    if target.exists():
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        target.rename(old)
    new.rename(target)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _show_mkdocs_warnings(level: int = logging.WARNING) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
    logger = logging.getLogger("mkdocs")
    logger.addHandler(handler)
    logger.setLevel(level)
