"""Scale benchmark: check and build generated projects of growing size against bare MkDocs.

For each size it generates a project (bench/corpus.py), then times `factdesk
check` and three runs of `factdesk build`: cold (no .factdesk-cache/ next to
mkdocs.yml), again with nothing changed (the cache the cold build left is kept),
and after one word of one claim's analysis is changed (the first claim file by
name; the edited word must then be on that claim's page, or the benchmark
stops). As the baseline it times `mkdocs build` of a bare MkDocs + Material
project holding the same Markdown pages (no factdesk plugin, only the home page
in the navigation). Each command runs as its own process; its peak memory comes
from the operating system's accounting of that process. It also times the first
search result in a browser on the largest site (or --search-size), with the
search index's bytes per claim, and measures how long `factdesk serve` takes to
show an edited claim. The results are compared with TARGETS: cold build / bare
MkDocs at the measured size closest to BASELINE_SIZE, rebuilds / the cold build
and peak memory at the largest size. The table and the targets are printed and
written, with every number, to bench-results/bench.json.

    python bench/run.py [--sizes 100,1000,5000,10000] [--corpus synthetic|realistic] [--serve-size 2000]
                        [--search-size 10000] [--no-search] [--profile 1000]
    python bench/run.py --search-site path/to/site    # only time search on a site already built
"""

from __future__ import annotations

import argparse
import datetime as dt
import gzip
import http.server
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402
import yaml  # noqa: E402
from factdesk.memo import FOLDER as CACHE_FOLDER  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
REFERENCE_SIZE = 1000  # per_claim_growth compares the largest size with this one
BASELINE_SIZE = 2000  # build_vs_baseline is taken at the measured size closest to this one
TARGETS = {  # name: (what is measured, limit, how it is compared)
    "build_vs_baseline": (f"cold factdesk build time / bare MkDocs time on the same pages, at the measured size "
                          f"closest to {BASELINE_SIZE}", 1.5, "<="),
    "nothing_changed_vs_cold": ("factdesk build with nothing changed (the cache kept) / the cold build, "
                                "at the largest size", 0.10, "<="),
    "one_edit_vs_cold": ("factdesk build after editing one claim's analysis / the cold build, at the largest size",
                         0.15, "<="),
    "serve_edit_seconds": ("seconds from saving a claim to the preview serving it, at --serve-size", 1.0, "<="),
    "search_first_result_s": ("seconds from typing a query to the first search result, over HTTP, "
                              "on the largest site or --search-size", 3.0, "<="),
    "search_results": ("site search shows results, on the largest site or --search-size", True, "=="),
    "peak_mb": ("peak memory of the cold factdesk build at the largest size, MB", 1024, "<"),
    "per_claim_growth": (f"time per claim at the largest size / at {REFERENCE_SIZE}", 1.2, "<="),
    "check_share": ("factdesk check time / factdesk build time, at the largest size", 0.05, "<"),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("SIZES", "100,1000,5000,10000"),
                        help="claim counts to measure, comma-separated (default: %(default)s)")
    parser.add_argument("--serve-size", type=int, default=int(os.environ.get("SERVE_SIZE", "2000")),
                        help="claims in the live-preview measurement; 0 skips it (default: %(default)s)")
    parser.add_argument("--corpus", choices=sorted(CORPORA), default=os.environ.get("CORPUS", "synthetic"),
                        help="synthetic claims, or clones of the repository's own claims (default: %(default)s)")
    parser.add_argument("--no-search", action="store_true", help="skip the browser search check")
    parser.add_argument("--search-size", type=int, default=int(os.environ.get("SEARCH_SIZE", "0")),
                        help="claims in the site whose search is timed (default: the largest size)")
    parser.add_argument("--search-runs", type=int, default=3, help="times the search is timed, each in a fresh "
                        "browser context; the median counts (default: %(default)s)")
    parser.add_argument("--search-site", type=Path, metavar="SITE",
                        help="only time search on this built site folder, and print the result")
    parser.add_argument("--profile", type=int, default=0, metavar="SIZE",
                        help="only profile `factdesk build` with pyinstrument at this size")
    parser.add_argument("--out", type=Path, default=Path("bench-results"), help="working and results folder")
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.profile:
        return profile(out, args.profile)
    if args.search_site:
        result = search_check(args.search_site.resolve(), args.search_runs)
        print(json.dumps(result, indent=2))
        return 0 if result["ok"] else 1

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    started = time.monotonic()
    rows = [measure_size(out, n, args.corpus) for n in sizes]
    report = {"date": dt.date.today().isoformat(), "cpus": os.cpu_count(), "python": sys.version.split()[0],
              "corpus": args.corpus, "load_average": load_average(), "sizes": rows}
    if not args.no_search:
        size = args.search_size or rows[-1]["claims"]
        if size not in sizes:
            build_only(out, size, args.corpus)
        report["search"] = {"claims": size, **search_check(out / project_name(args.corpus, size) / "site",
                                                           args.search_runs)}
    if args.serve_size:
        report["serve"] = serve_check(out, args.serve_size)
    report["ratios"] = ratios(rows)
    report["targets"] = verdicts(report)
    report["bench_seconds"] = round(time.monotonic() - started, 1)
    report["load_average_after"] = load_average()
    (out / "bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"\nWritten to {out / 'bench.json'} ({report['bench_seconds']} s in all).")
    return 0 if all(t["pass"] for t in report["targets"].values() if t["pass"] is not None) else 1


# -- one size ------------------------------------------------------------------------------------

CORPORA = {"synthetic": corpus.generate, "realistic": corpus.generate_realistic}


def project_name(kind: str, claims: int) -> str:
    return f"project-{claims}" if kind == "synthetic" else f"{kind}-{claims}"


def measure_size(out: Path, claims: int, kind: str = "synthetic") -> dict:
    """Generate a project of `claims` claims, then time check, a cold build, a build with nothing changed, a
    build after one claim is edited, and the bare-MkDocs baseline."""
    project = out / project_name(kind, claims)
    print(f"[{claims} claims] generating the {kind} project", flush=True)
    config = CORPORA[kind](project, claims)
    build_command = [str(BIN / "factdesk"), "build", "-f", str(config), "-d", str(project / "site")]
    print(f"[{claims} claims] factdesk check", flush=True)
    check = timed([str(BIN / "factdesk"), "check", "--strict", "-f", str(config)], project)
    cache = project / CACHE_FOLDER
    if cache.exists():
        shutil.rmtree(cache)  # the cold build starts with no memo of earlier builds
    print(f"[{claims} claims] factdesk build, cold", flush=True)
    build = timed(build_command, project, "cold")
    print(f"[{claims} claims] factdesk build, nothing changed", flush=True)
    warm = timed(build_command, project, "nothing-changed")
    edited = edit_claim(project)
    if edit_shown(project / "site", edited):
        raise SystemExit(f"the page of {edited['claim']} shows {edited['new_word']!r} before the edit: the check "
                         "after it would prove nothing")
    print(f"[{claims} claims] factdesk build, {edited['claim']} edited "
          f"({edited['old_word']!r} to {edited['new_word']!r})", flush=True)
    edit = timed(build_command, project, "one-edit")
    if not edit_shown(project / "site", edited):  # a build that skipped the edit must not count as fast
        raise SystemExit(f"the build after the edit did not show it: {edited['new_word']!r} (in place of "
                         f"{edited['old_word']!r}, in the analysis of {edited['claim']}) is not in "
                         f"{claim_page(project / 'site', edited['claim'])}")
    baseline_dir = out / f"baseline-{claims}"
    pages = write_baseline(project, baseline_dir)
    print(f"[{claims} claims] baseline: mkdocs build of {pages} plain pages", flush=True)
    baseline = timed([str(BIN / "mkdocs"), "build", "-q", "-f", str(baseline_dir / "mkdocs.yml"),
                      "-d", str(baseline_dir / "site")], baseline_dir)
    site = project / "site"
    row = {"claims": claims, "sources": len(list((project / "claims" / "sources").glob("*.yaml"))),
           "pages": sum(1 for _ in site.rglob("*.html")), "baseline_pages": pages,
           "check_s": check["seconds"], "build_s": build["seconds"], "warm_s": warm["seconds"],
           "edit_s": edit["seconds"], "baseline_s": baseline["seconds"],
           "check_peak_mb": check["peak_mb"], "build_peak_mb": build["peak_mb"], "warm_peak_mb": warm["peak_mb"],
           "edit_peak_mb": edit["peak_mb"], "baseline_peak_mb": baseline["peak_mb"],
           "edited_claim": edited["claim"], "edited_word": [edited["old_word"], edited["new_word"]],
           "output_mb": round(folder_bytes(site) / 1e6, 1),
           "baseline_output_mb": round(folder_bytes(baseline_dir / "site") / 1e6, 1),
           **index_size(site, claims),
           "baseline_search_index_mb": round((baseline_dir / "site" / "search" / "search_index.json").stat().st_size
                                             / 1e6, 2)}
    row["build_vs_baseline"] = ratio(row["build_s"], row["baseline_s"])
    row["warm_vs_cold"] = ratio(row["warm_s"], row["build_s"], 3)
    row["edit_vs_cold"] = ratio(row["edit_s"], row["build_s"], 3)
    row["ms_per_claim"] = round(1000 * row["build_s"] / claims, 2)
    print(f"[{claims} claims] check {row['check_s']} s, build {row['build_s']} s (nothing changed {row['warm_s']} s, "
          f"one edit {row['edit_s']} s), baseline {row['baseline_s']} s, peak {row['build_peak_mb']} MB", flush=True)
    return row


EDITED_WORD = "benchedited"  # found in no corpus: the edited page shows it only if the edit was built
_EDITABLE = re.compile(r"(?<![\w/.:#-])[a-z]{5,}(?![\w/.:#-])")  # a plain word: not in a link, an id or a number


def edit_claim(project: Path) -> dict:
    """Change one word of the analysis of the project's first claim file (by name), as a contributor would: the
    rest of the file stays byte for byte the same, and the file is read back to be sure it is still valid YAML
    that differs in that word only. Returns the claim's id, the old and the new word."""
    path = min((project / "claims").glob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    before = yaml.safe_load(text)
    start = re.search(r"^analysis:", text, re.MULTILINE)
    end = re.search(r"^\S", text[start.end():], re.MULTILINE) if start else None
    word = _EDITABLE.search(text, start.end(), start.end() + end.start() if end else len(text)) if start else None
    if word is None:
        raise SystemExit(f"{path}: found no word to edit in its analysis")
    if EDITED_WORD in text:
        raise SystemExit(f"{path} holds {EDITED_WORD!r} already: the edit could not be told from the original")
    after_text = text[:word.start()] + EDITED_WORD + text[word.end():]
    expected = {**before, "analysis": _EDITABLE.sub(EDITED_WORD, before["analysis"], count=1)}
    if yaml.safe_load(after_text) != expected:
        raise SystemExit(f"{path}: changing {word.group()!r} in the analysis changed more than that word")
    path.write_text(after_text, encoding="utf-8")
    return {"claim": before["id"], "old_word": word.group(), "new_word": EDITED_WORD}


def claim_page(site: Path, claim_id: str) -> Path:
    return site / "claims" / claim_id / "index.html"


def edit_shown(site: Path, edited: dict) -> bool:
    """Whether the edited claim's page in the built site holds the new word."""
    page = claim_page(site, edited["claim"])
    return page.is_file() and edited["new_word"] in page.read_text(encoding="utf-8")


def ratio(value: float | None, reference: float | None, digits: int = 2) -> float | None:
    """value / reference, rounded; None when either is missing (or the reference is 0)."""
    return round(value / reference, digits) if value is not None and reference else None


def timed(command: list[str], cwd: Path, label: str = "") -> dict:
    """Run one command as a child process; its wall time and peak resident memory (from its rusage). Its output
    goes to a log file in `cwd`, named after the command (and `label`, when one command is run several times)."""
    log = cwd / f".bench-{Path(command[0]).name}-{command[1]}{'-' + label if label else ''}.log"
    with log.open("w") as sink:
        started = time.perf_counter()
        child = subprocess.Popen(command, cwd=cwd, stdout=sink, stderr=subprocess.STDOUT, env=ENV)
        _, status, usage = os.wait4(child.pid, 0)
        seconds = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed (exit {child.returncode}); see {log}:\n"
                         + log.read_text()[-3000:])
    return {"seconds": round(seconds, 2), "peak_mb": round(usage.ru_maxrss / 1024, 1)}  # ru_maxrss is in KiB


def build_only(out: Path, claims: int, kind: str) -> None:
    """Generate and build a project for the search measurement alone."""
    project = out / project_name(kind, claims)
    print(f"[{claims} claims] generating and building the {kind} project for search", flush=True)
    config = CORPORA[kind](project, claims)
    timed([str(BIN / "factdesk"), "build", "-f", str(config), "-d", str(project / "site")], project)


def index_size(site: Path, claims: int) -> dict:
    """The size of the site's search index: MB as served, MB gzipped, bytes per claim, entries."""
    raw = (site / "search" / "search_index.json").read_bytes()
    return {"search_index_mb": round(len(raw) / 1e6, 2),
            "search_index_gzip_mb": round(len(gzip.compress(raw, compresslevel=6)) / 1e6, 2),
            "search_index_bytes_per_claim": round(len(raw) / claims),
            "search_index_entries": len(json.loads(raw)["docs"])}


def load_average() -> list[float]:
    """The machine's load average over 1, 5 and 15 minutes (other work on it slows every timing)."""
    return [round(x, 2) for x in os.getloadavg()]


def write_baseline(project: Path, target: Path) -> int:
    """A bare MkDocs + Material project with the generated Markdown pages as plain files; returns the page count."""
    from factdesk.load import Layout
    from factdesk.pipeline import check
    from factdesk.render import SiteOptions, render_site

    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(project / "docs", target / "docs")
    result = check(Layout.under(project))
    pages = render_site(result.corpus, SiteOptions(site_url="https://bench.example/", publisher_name="Factdesk bench",
                                                   publisher_url="https://bench.example/"))
    count = 1
    for uri, text in pages.items():
        if uri.endswith(".md"):
            path = target / "docs" / uri
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            count += 1
    config = (project / "mkdocs.yml").read_text(encoding="utf-8")
    head, _, rest = config.partition("plugins:")
    extensions = "markdown_extensions:" + rest.partition("markdown_extensions:")[2].partition("\nnav:")[0]
    (target / "mkdocs.yml").write_text(head + "plugins:\n  - search\n\n" + extensions.rstrip() +
                                       "\n\nnav:\n  - Home: index.md\n\nvalidation:\n  omitted_files: ignore\n",
                                       encoding="utf-8")
    return count


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def probe_claim(site: Path) -> dict:
    """A claim to look for in search, from the site's search index: the middle claim page and its first five
    words; and how many claim pages there are."""
    index = site / "search" / "search_index.json"
    if not index.is_file():
        raise SystemExit(f"{index} not found: build the site first (factdesk build -d {site})")
    docs = json.loads(index.read_text(encoding="utf-8"))["docs"]
    pages = sorted((m.group(1), doc["title"]) for doc in docs
                   if (m := re.fullmatch(r"claims/([^/#.]+)(?:/|\.html)", doc["location"])) and m.group(1) != "index")
    if not pages:
        raise SystemExit(f"{index} indexes no claim page: is {site} a factdesk site?")
    claim_id, title = pages[len(pages) // 2]
    return {"id": claim_id, "query": " ".join(title.rstrip(".").split()[:5]), "claims": len(pages)}


# -- search in a browser -------------------------------------------------------------------------

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--no-first-run", "--disable-sync", "--disable-quic"]  # as tests/browser/conftest.py has them


def search_check(site: Path, runs: int = 3) -> dict:
    """Serve the site over HTTP, open it in Chromium, type a claim's words into Material's search box and time
    the first result: from typing (the page loaded) and from opening the page. Each run has a fresh browser
    context, so nothing is cached; the median of the runs counts. On a machine shared with other work the
    wall time stretches, so the CPU seconds the browser's processes spent from typing to the first result
    are given too: about what an idle core would need."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"ok": None, "note": "Playwright is not installed"}
    browser_path = os.environ.get("FACTDESK_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser_path:
        return {"ok": None, "note": "no Chromium found"}
    probe = probe_claim(site)
    print(f"[search] querying {probe['query']!r} on {site}, {runs} times", flush=True)
    handler = partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    timings = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, args=CHROMIUM_ARGS)
            for _ in range(max(1, runs)):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                page = context.new_page()
                opened = time.perf_counter()
                page.goto(url)
                typed, before = time.perf_counter(), children_cpu()
                page.click("input.md-search__input")  # then key by key: the theme searches on keyup
                page.keyboard.type(probe["query"])
                page.wait_for_selector(".md-search-result__item", timeout=180_000)
                done, after = time.perf_counter(), children_cpu()
                cpu = sum(ticks - before.get(pid, 0) for pid, ticks in after.items()) / os.sysconf("SC_CLK_TCK")
                timings.append((round(done - typed, 2), round(done - opened, 2), round(cpu, 2)))
                hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
                meta = page.inner_text(".md-search-result__meta")
                context.close()
            browser.close()
    finally:
        server.shutdown()
    found = any(re.search(rf"/claims/{re.escape(probe['id'])}(?:/|\.html)", h) for h in hrefs)
    typing, opening, cpu = (round(statistics.median(column), 2) for column in zip(*timings, strict=True))
    return {"ok": bool(hrefs), "seconds_to_first_result": typing, "seconds_from_opening": opening,
            "browser_cpu_seconds": cpu, "runs": timings,
            "results_shown": len(hrefs), "result_count_text": meta.strip(), "probe_claim_listed": found,
            "query": probe["query"], **index_size(site, probe["claims"]), "load_average": load_average()}


def children_cpu() -> dict[int, int]:
    """The CPU time (user and system, in clock ticks) used so far by each running descendant of this process
    (the browser's processes), read from /proc; empty where there is no /proc."""
    parents: dict[int, int] = {}
    ticks: dict[int, int] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rpartition(")")[2].split()
        except OSError:
            continue  # the process has ended
        pid = int(stat.parent.name)
        parents[pid], ticks[pid] = int(fields[1]), int(fields[11]) + int(fields[12])
    ours, grew = {os.getpid()}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in ours} - ours
        ours |= more
        grew = bool(more)
    ours.discard(os.getpid())
    return {pid: ticks[pid] for pid in ours}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


# -- live preview --------------------------------------------------------------------------------

def serve_check(out: Path, claims: int, edits: int = 3) -> dict:
    """Start `factdesk serve`, edit claims one after another, time until each edit is served."""
    project = out / f"serve-{claims}"
    print(f"[serve] generating {claims} claims", flush=True)
    corpus.generate(project, claims)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    base = f"http://127.0.0.1:{port}/"
    log = (project / ".bench-serve.log").open("w")
    proc = subprocess.Popen([str(BIN / "factdesk"), "serve", "-a", f"127.0.0.1:{port}"], cwd=project,
                            stdout=log, stderr=subprocess.STDOUT, env=ENV)
    files = sorted((project / "claims").glob("*.yaml"))
    results = []
    try:
        started = time.monotonic()
        first = files[0].stem
        if not poll(f"{base}claims/{first}/", "<h1", 600):
            return {"ok": False, "note": "the preview never served the first page"}
        initial = time.monotonic() - started
        entries_before = len(json.loads(fetch(f"{base}search/search_index.json") or "{}").get("docs", []))
        for i in range(edits):
            time.sleep(2)  # let the previous rebuild and reload settle
            path = files[(i + 1) * len(files) // (edits + 1)]
            marker = f"Edited{i}x{port}"
            text = path.read_text(encoding="utf-8")
            path.write_text(text.replace("\nclaim: ", f"\nclaim: {marker} ", 1), encoding="utf-8")
            saved = time.monotonic()
            seen = poll(f"{base}claims/{path.stem}/", marker, 120)
            seconds = time.monotonic() - saved
            index_ok = marker in fetch(f"{base}claims/index.html") or marker in fetch(f"{base}claims/")
            results.append({"claim": path.stem, "seconds": round(seconds, 2) if seen else None,
                            "claims_index_updated": index_ok})
        time.sleep(1)
        index = json.loads(fetch(f"{base}search/search_index.json") or "{}").get("docs", [])
        search_ok = any(f"Edited{edits - 1}x{port}" in (d.get("title", "") + d.get("text", "")) for d in index)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
    times = [r["seconds"] for r in results if r["seconds"] is not None]
    builds = [float(line.split("built in ")[1].split()[0]) for line in
              (project / ".bench-serve.log").read_text().splitlines() if "Documentation built in" in line]
    return {"ok": len(times) == edits, "claims": claims, "initial_build_s": round(initial, 1), "edits": results,
            "rebuild_s": builds[1:],  # MkDocs' own timing of each rebuild, start to end (the browser reloads then)
            "worst_edit_s": max(times) if times else None,
            "search_index_entries": [entries_before, len(index)], "search_index_has_edit": search_ok}


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def poll(url: str, text: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if text in fetch(url):
            return True
        time.sleep(0.05)
    return False


# -- profile -------------------------------------------------------------------------------------

def profile(out: Path, claims: int) -> int:
    """Profile one `factdesk build` with pyinstrument and print the top of the call tree."""
    project = out / f"project-{claims}"
    config = corpus.generate(project, claims)
    report = out / f"profile-{claims}.txt"
    command = [sys.executable, "-m", "pyinstrument", "-r", "text", "--show-all", "-o", str(report),
               "-m", "factdesk", "build", "-f", str(config), "-d", str(project / "site")]
    subprocess.run(command, cwd=project, env=ENV, check=True)
    print(report.read_text(encoding="utf-8")[:12000])
    print(f"Full profile: {report}")
    return 0


# -- report --------------------------------------------------------------------------------------

def ratios(rows: list[dict]) -> dict:
    """The ratios compared with TARGETS, for every size (by its claim count, as text); a ratio whose
    measurements are missing is None."""
    reference = next((r for r in rows if r["claims"] == REFERENCE_SIZE), rows[0] if rows else {})
    out = {}
    for row in rows:
        out[str(row["claims"])] = {
            "build_vs_baseline": ratio(row.get("build_s"), row.get("baseline_s")),
            "warm_vs_cold": ratio(row.get("warm_s"), row.get("build_s"), 3),
            "edit_vs_cold": ratio(row.get("edit_s"), row.get("build_s"), 3),
            "per_claim_vs_reference": ratio(row.get("ms_per_claim"), reference.get("ms_per_claim")),
            "check_share": ratio(row.get("check_s"), row.get("build_s"), 3),
            "peak_mb": row.get("build_peak_mb"),
        }
    return out


def baseline_row(rows: list[dict]) -> dict:
    """The measured size closest to BASELINE_SIZE (of two as close, the larger)."""
    return min(rows, key=lambda r: (abs(r["claims"] - BASELINE_SIZE), -r["claims"]))


def verdicts(report: dict) -> dict:
    """Each target's value, limit, whether it passes (None when it was not measured) and the size it was
    measured at."""
    rows = report["sizes"]
    largest, closest = rows[-1], baseline_row(rows)
    at_largest = report["ratios"][str(largest["claims"])]
    has_reference = any(r["claims"] == REFERENCE_SIZE for r in rows) and largest["claims"] > REFERENCE_SIZE
    search, serve = report.get("search") or {}, report.get("serve") or {}
    measured = {  # name: (value, claims it was measured at)
        "build_vs_baseline": (report["ratios"][str(closest["claims"])]["build_vs_baseline"], closest["claims"]),
        "nothing_changed_vs_cold": (at_largest["warm_vs_cold"], largest["claims"]),
        "one_edit_vs_cold": (at_largest["edit_vs_cold"], largest["claims"]),
        "serve_edit_seconds": (serve.get("worst_edit_s"), serve.get("claims")),
        "search_first_result_s": (search.get("seconds_to_first_result"), search.get("claims")),
        "search_results": (search.get("ok"), search.get("claims")),
        "peak_mb": (at_largest["peak_mb"], largest["claims"]),
        "per_claim_growth": (at_largest["per_claim_vs_reference"] if has_reference else None, largest["claims"]),
        "check_share": (at_largest["check_share"], largest["claims"]),
    }
    out = {}
    for name, (what, limit, op) in TARGETS.items():
        value, claims = measured[name]
        if name == "serve_edit_seconds" and serve.get("ok") is False:
            passed = False  # an edit the preview never showed: its worst time is no time at all
        elif value is None:
            passed = None
        elif op == "==":
            passed = value == limit
        else:
            passed = value <= limit if op == "<=" else value < limit
        out[name] = {"what": what, "value": value, "limit": f"{op} {limit}", "pass": passed,
                     "at_claims": None if passed is None else claims}
    return out


def table(report: dict) -> str:
    columns = [("claims", "claims"), ("pages", "pages"), ("check_s", "check s"), ("build_s", "build s"),
               ("warm_s", "warm s"), ("edit_s", "edit s"), ("baseline_s", "bare s"),
               ("build_vs_baseline", "build/bare"), ("warm_vs_cold", "warm/cold"), ("edit_vs_cold", "edit/cold"),
               ("ms_per_claim", "ms/claim"), ("build_peak_mb", "peak MB"), ("baseline_peak_mb", "bare MB"),
               ("output_mb", "site MB"), ("search_index_mb", "index MB"),
               ("search_index_bytes_per_claim", "index B/claim")]
    widths = [max(len(title), 9) for _, title in columns]
    lines = ["  ".join(title.rjust(w) for (_, title), w in zip(columns, widths, strict=True))]
    for row in report["sizes"]:
        lines.append("  ".join(str(row.get(key, "")).rjust(w) for (key, _), w in zip(columns, widths, strict=True)))
    lines.append("(warm: built again with nothing changed; edit: built after one word of one claim was changed; "
                 "both keep the cache the cold build left)")
    lines.append("")
    search = report.get("search") or {}
    if search.get("ok"):
        lines.append(f"search, {search['claims']} claims: first result {search['seconds_to_first_result']} s after "
                     f"typing ({search['browser_cpu_seconds']} CPU s in the browser), index "
                     f"{search['search_index_mb']} MB ({search['search_index_gzip_mb']} MB gzipped, "
                     f"{search['search_index_bytes_per_claim']} bytes per claim); load average "
                     f"{search['load_average'][0]}\n")
    for name, target in report["targets"].items():
        state = {True: "PASS", False: "FAIL", None: "n/a "}[target["pass"]]
        where = "not measured" if target["at_claims"] is None else f"at {target['at_claims']} claims"
        if name == "build_vs_baseline" and target["at_claims"] is not None:
            where += f", the measured size closest to {BASELINE_SIZE}"
        lines.append(f"{state}  {name}: {target['value']} (limit {target['limit']}; {where}) {target['what']}")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
