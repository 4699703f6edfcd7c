"""Scale benchmark: check and build generated projects of growing size against bare MkDocs.

For each size it generates a project (bench/corpus.py), then times `factdesk
check`, `factdesk build` and, as the baseline, `mkdocs build` of a bare MkDocs +
Material project holding the same Markdown pages (no factdesk plugin, only the
home page in the navigation). Each command runs as its own process; its peak
memory comes from the operating system's accounting of that process. It also
checks that search answers in a browser on the largest site and measures how
long `factdesk serve` takes to show an edited claim. The table is printed and
written, with every number, to bench-results/bench.json.

    python bench/run.py [--sizes 100,1000,5000,10000] [--serve-size 2000] [--profile 1000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.server
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import corpus  # noqa: E402

BIN = Path(sys.executable).parent
ENV = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
REFERENCE_SIZE = 1000
TARGETS = {  # name: (what is measured, limit, how it is compared)
    "build_vs_baseline": ("factdesk build time / bare MkDocs time, at the largest size", 1.3, "<="),
    "per_claim_growth": (f"time per claim at the largest size / at {REFERENCE_SIZE}", 1.2, "<="),
    "check_share": ("factdesk check time / factdesk build time, at the largest size", 0.05, "<"),
    "peak_mb": ("peak memory of factdesk build at the largest size, MB", 1024, "<"),
    "search_results": ("site search shows results on the largest site", True, "=="),
    "serve_edit_seconds": ("seconds from saving a claim to the preview serving it", 2.0, "<="),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=os.environ.get("SIZES", "100,1000,5000,10000"),
                        help="claim counts to measure, comma-separated (default: %(default)s)")
    parser.add_argument("--serve-size", type=int, default=int(os.environ.get("SERVE_SIZE", "2000")),
                        help="claims in the live-preview measurement; 0 skips it (default: %(default)s)")
    parser.add_argument("--no-search", action="store_true", help="skip the browser search check")
    parser.add_argument("--profile", type=int, default=0, metavar="SIZE",
                        help="only profile `factdesk build` with pyinstrument at this size")
    parser.add_argument("--out", type=Path, default=Path("bench-results"), help="working and results folder")
    args = parser.parse_args()
    out = args.out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    if args.profile:
        return profile(out, args.profile)

    sizes = sorted({int(s) for s in args.sizes.split(",") if s.strip()})
    started = time.monotonic()
    rows = [measure_size(out, n) for n in sizes]
    report = {"date": dt.date.today().isoformat(), "cpus": os.cpu_count(), "python": sys.version.split()[0],
              "sizes": rows}
    largest = rows[-1]
    if not args.no_search:
        report["search"] = search_check(out / f"project-{largest['claims']}" / "site", largest["probe"])
    if args.serve_size:
        report["serve"] = serve_check(out, args.serve_size)
    report["ratios"] = ratios(rows)
    report["targets"] = verdicts(report)
    report["bench_seconds"] = round(time.monotonic() - started, 1)
    (out / "bench.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    print(table(report))
    print(f"\nWritten to {out / 'bench.json'} ({report['bench_seconds']} s in all).")
    return 0 if all(t["pass"] for t in report["targets"].values() if t["pass"] is not None) else 1


# -- one size ------------------------------------------------------------------------------------

def measure_size(out: Path, claims: int) -> dict:
    """Generate a project of `claims` claims, then time check, build and the bare-MkDocs baseline."""
    project = out / f"project-{claims}"
    print(f"[{claims} claims] generating the project", flush=True)
    config = corpus.generate(project, claims)
    print(f"[{claims} claims] factdesk check", flush=True)
    check = timed([str(BIN / "factdesk"), "check", "--strict", "-f", str(config)], project)
    print(f"[{claims} claims] factdesk build", flush=True)
    build = timed([str(BIN / "factdesk"), "build", "-f", str(config), "-d", str(project / "site")], project)
    baseline_dir = out / f"baseline-{claims}"
    pages = write_baseline(project, baseline_dir)
    print(f"[{claims} claims] baseline: mkdocs build of {pages} plain pages", flush=True)
    baseline = timed([str(BIN / "mkdocs"), "build", "-q", "-f", str(baseline_dir / "mkdocs.yml"),
                      "-d", str(baseline_dir / "site")], baseline_dir)
    site = project / "site"
    row = {"claims": claims, "sources": len(list((project / "claims" / "sources").glob("*.yaml"))),
           "pages": sum(1 for _ in site.rglob("*.html")), "baseline_pages": pages,
           "check_s": check["seconds"], "build_s": build["seconds"], "baseline_s": baseline["seconds"],
           "check_peak_mb": check["peak_mb"], "build_peak_mb": build["peak_mb"], "baseline_peak_mb": baseline["peak_mb"],
           "output_mb": round(folder_bytes(site) / 1e6, 1),
           "baseline_output_mb": round(folder_bytes(baseline_dir / "site") / 1e6, 1),
           "search_index_mb": round((site / "search" / "search_index.json").stat().st_size / 1e6, 2),
           "baseline_search_index_mb": round((baseline_dir / "site" / "search" / "search_index.json").stat().st_size
                                             / 1e6, 2),
           "probe": probe_claim(project)}
    row["build_vs_baseline"] = round(row["build_s"] / row["baseline_s"], 2)
    row["ms_per_claim"] = round(1000 * row["build_s"] / claims, 2)
    print(f"[{claims} claims] check {row['check_s']} s, build {row['build_s']} s, baseline {row['baseline_s']} s, "
          f"peak {row['build_peak_mb']} MB", flush=True)
    return row


def timed(command: list[str], cwd: Path) -> dict:
    """Run one command as a child process; its wall time and peak resident memory (from its rusage)."""
    log = cwd / f".bench-{Path(command[0]).name}-{command[1]}.log"
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


def probe_claim(project: Path) -> dict:
    """A claim to look for in search: its id and the first words of its text."""
    path = sorted((project / "claims").glob("*.yaml"))[len(list((project / "claims").glob("*.yaml"))) // 2]
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return {"id": data["id"], "query": " ".join(data["claim"].rstrip(".").split()[:5])}


# -- search in a browser -------------------------------------------------------------------------

def search_check(site: Path, probe: dict) -> dict:
    """Type a claim's words into Material's search box and time the first result."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        return {"ok": None, "note": "Playwright is not installed"}
    browser_path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not browser_path:
        return {"ok": None, "note": "no Chromium found"}
    print(f"[search] querying {probe['query']!r} on {site}", flush=True)
    handler = partial(QuietHandler, directory=str(site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=browser_path, args=[
                "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                "--no-first-run", "--disable-sync", "--disable-quic"])
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.goto(url)
            started = time.perf_counter()
            page.fill("input.md-search__input", probe["query"])
            page.wait_for_selector(".md-search-result__item", timeout=180_000)
            seconds = time.perf_counter() - started
            hrefs = page.eval_on_selector_all(".md-search-result__item a", "els => els.map(e => e.href)")
            meta = page.inner_text(".md-search-result__meta")
            browser.close()
    finally:
        server.shutdown()
    found = any(f"/claims/{probe['id']}/" in h for h in hrefs)
    return {"ok": bool(hrefs), "seconds_to_first_result": round(seconds, 2), "results_shown": len(hrefs),
            "result_count_text": meta.strip(), "probe_claim_listed": found, "query": probe["query"]}


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
    reference = next((r for r in rows if r["claims"] == REFERENCE_SIZE), rows[0])
    out = {}
    for row in rows:
        out[str(row["claims"])] = {
            "build_vs_baseline": row["build_vs_baseline"],
            "per_claim_vs_reference": round(row["ms_per_claim"] / reference["ms_per_claim"], 2),
            "check_share": round(row["check_s"] / row["build_s"], 3),
            "peak_mb": row["build_peak_mb"],
        }
    return out


def verdicts(report: dict) -> dict:
    rows = report["sizes"]
    largest = rows[-1]
    ratio = report["ratios"][str(largest["claims"])]
    has_reference = any(r["claims"] == REFERENCE_SIZE for r in rows) and largest["claims"] > REFERENCE_SIZE
    values = {
        "build_vs_baseline": ratio["build_vs_baseline"],
        "per_claim_growth": ratio["per_claim_vs_reference"] if has_reference else None,
        "check_share": ratio["check_share"],
        "peak_mb": ratio["peak_mb"],
        "search_results": report.get("search", {}).get("ok"),
        "serve_edit_seconds": report.get("serve", {}).get("worst_edit_s"),
    }
    out = {}
    for name, (what, limit, op) in TARGETS.items():
        value = values[name]
        if value is None:
            passed = None
        elif op == "==":
            passed = value == limit
        else:
            passed = value <= limit if op == "<=" else value < limit
        out[name] = {"what": what, "value": value, "limit": f"{op} {limit}", "pass": passed,
                     "at_claims": report.get("serve", {}).get("claims") if name == "serve_edit_seconds"
                     else largest["claims"]}
    return out


def table(report: dict) -> str:
    columns = [("claims", "claims"), ("pages", "pages"), ("check_s", "check s"), ("build_s", "build s"),
               ("baseline_s", "bare s"), ("build_vs_baseline", "build/bare"), ("ms_per_claim", "ms/claim"),
               ("build_peak_mb", "peak MB"), ("baseline_peak_mb", "bare MB"), ("output_mb", "site MB"),
               ("search_index_mb", "index MB")]
    widths = [max(len(title), 9) for _, title in columns]
    lines = ["  ".join(title.rjust(w) for (_, title), w in zip(columns, widths))]
    for row in report["sizes"]:
        lines.append("  ".join(str(row[key]).rjust(w) for (key, _), w in zip(columns, widths)))
    lines.append("")
    for name, target in report["targets"].items():
        state = {True: "PASS", False: "FAIL", None: "n/a "}[target["pass"]]
        lines.append(f"{state}  {name}: {target['value']} (limit {target['limit']}; {target['what']})")
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
