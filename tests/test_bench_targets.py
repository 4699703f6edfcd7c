"""The benchmark's targets (bench/run.py): the ratios and verdicts computed from a report, the edit it makes to
time a one-claim rebuild, and one small run of the whole benchmark."""

from __future__ import annotations

import json
import subprocess
import sys

import corpus as bench_corpus
import pytest
import run as bench
import yaml
from helpers import REPO

TARGET_NAMES = {"build_vs_baseline", "nothing_changed_vs_cold", "one_edit_vs_cold", "serve_edit_seconds",
                "search_first_result_s", "search_results", "peak_mb", "per_claim_growth", "check_share"}


def row(claims: int, build_s: float, baseline_s: float, warm_s: float | None = None, edit_s: float | None = None,
        check_s: float = 0.1, peak_mb: float = 300.0) -> dict:
    out = {"claims": claims, "build_s": build_s, "baseline_s": baseline_s, "check_s": check_s,
           "build_peak_mb": peak_mb, "ms_per_claim": round(1000 * build_s / claims, 2)}
    if warm_s is not None:
        out["warm_s"] = warm_s
    if edit_s is not None:
        out["edit_s"] = edit_s
    return out


def report(rows: list[dict], **extra) -> dict:
    out = {"sizes": rows, **extra}
    out["ratios"] = bench.ratios(rows)
    out["targets"] = bench.verdicts(out)
    return out


def test_the_targets_are_the_issues():
    assert set(bench.TARGETS) == TARGET_NAMES
    limits = {name: (limit, op) for name, (_, limit, op) in bench.TARGETS.items()}
    assert limits["build_vs_baseline"] == (1.5, "<=")
    assert limits["nothing_changed_vs_cold"] == (0.10, "<=")
    assert limits["one_edit_vs_cold"] == (0.15, "<=")
    assert limits["serve_edit_seconds"] == (1.0, "<=")
    assert limits["search_first_result_s"] == (3.0, "<=")
    assert limits["search_results"] == (True, "==")
    assert limits["peak_mb"] == (1024, "<")


def test_ratios_per_size():
    ratios = bench.ratios([row(1000, 20.0, 16.0, warm_s=1.0, edit_s=2.5, check_s=0.5),
                           row(5000, 110.0, 80.0, warm_s=5.5, edit_s=22.0)])
    assert ratios["1000"] == {"build_vs_baseline": 1.25, "warm_vs_cold": 0.05, "edit_vs_cold": 0.125,
                              "per_claim_vs_reference": 1.0, "check_share": 0.025, "peak_mb": 300.0}
    assert ratios["5000"]["warm_vs_cold"] == 0.05 and ratios["5000"]["edit_vs_cold"] == 0.2
    assert ratios["5000"]["per_claim_vs_reference"] == 1.1


def test_passing_values_pass():
    targets = report([row(1000, 20.0, 16.0, warm_s=1.0, edit_s=2.0), row(5000, 100.0, 90.0, warm_s=9.0, edit_s=14.0)],
                     search={"claims": 5000, "ok": True, "seconds_to_first_result": 2.1},
                     serve={"claims": 2000, "ok": True, "worst_edit_s": 0.8})["targets"]
    assert {name: t["pass"] for name, t in targets.items()} == dict.fromkeys(TARGET_NAMES, True)
    assert targets["nothing_changed_vs_cold"]["value"] == 0.09 and targets["nothing_changed_vs_cold"]["at_claims"] == 5000
    assert targets["one_edit_vs_cold"]["value"] == 0.14
    assert targets["serve_edit_seconds"]["at_claims"] == 2000 and targets["search_results"]["at_claims"] == 5000


def test_failing_values_fail():
    targets = report([row(1000, 20.0, 10.0, warm_s=1.0, edit_s=2.0),
                      row(5000, 150.0, 90.0, warm_s=20.0, edit_s=30.0, check_s=10.0, peak_mb=1024.0)],
                     search={"claims": 5000, "ok": False, "seconds_to_first_result": 3.5},
                     serve={"claims": 2000, "ok": True, "worst_edit_s": 1.2})["targets"]
    assert {name: t["pass"] for name, t in targets.items()} == dict.fromkeys(TARGET_NAMES, False)
    assert targets["nothing_changed_vs_cold"]["value"] == 0.133 and targets["one_edit_vs_cold"]["value"] == 0.2
    assert targets["peak_mb"]["value"] == 1024.0  # the limit is strict


def test_an_edit_the_preview_never_showed_fails():
    serve = {"claims": 2000, "ok": False, "worst_edit_s": 0.5}  # the other edits were shown in time
    targets = report([row(1000, 20.0, 16.0, warm_s=1.0, edit_s=2.0)], serve=serve)["targets"]
    assert targets["serve_edit_seconds"]["pass"] is False


def test_build_vs_baseline_is_taken_at_the_size_closest_to_2000():
    rows = [row(100, 3.0, 1.0), row(1500, 15.0, 12.0), row(5000, 200.0, 50.0, warm_s=1.0, edit_s=1.0)]
    target = report(rows)["targets"]["build_vs_baseline"]
    assert (target["value"], target["pass"], target["at_claims"]) == (1.25, True, 1500)
    rows = [row(1000, 20.0, 10.0), row(3000, 30.0, 25.0), row(10000, 100.0, 90.0)]  # as close: the larger
    assert report(rows)["targets"]["build_vs_baseline"]["at_claims"] == 3000
    target = report([row(100, 3.0, 1.0), row(500, 3.0, 1.0), row(2500, 20.0, 10.0)])["targets"]["build_vs_baseline"]
    assert (target["value"], target["pass"], target["at_claims"]) == (2.0, False, 2500)
    assert "2000" in bench.table(report(rows)).partition("build_vs_baseline:")[2].splitlines()[0]


def test_missing_measurements_give_pass_none():
    targets = report([row(5000, 100.0, 90.0)])["targets"]  # no rebuilds, no reference size, search or preview
    for name in ("nothing_changed_vs_cold", "one_edit_vs_cold", "serve_edit_seconds", "search_first_result_s",
                 "search_results", "per_claim_growth"):
        assert (targets[name]["value"], targets[name]["pass"], targets[name]["at_claims"]) == (None, None, None), name
    assert targets["build_vs_baseline"]["pass"] is True and targets["peak_mb"]["pass"] is True
    assert bench.ratios([row(5000, 100.0, 90.0)])["5000"]["warm_vs_cold"] is None
    lines = bench.table(report([row(5000, 100.0, 90.0)])).splitlines()
    assert any(line.startswith("n/a   one_edit_vs_cold: None") for line in lines)


@pytest.mark.parametrize("generate", [bench_corpus.generate, bench_corpus.generate_realistic])
def test_the_edit_changes_one_word_of_the_first_claims_analysis(generate, tmp_path):
    generate(tmp_path, 3)
    path = min((tmp_path / "claims").glob("*.yaml"))
    text = path.read_text(encoding="utf-8")
    edited = bench.edit_claim(tmp_path)
    after = path.read_text(encoding="utf-8")
    assert edited["claim"] == path.stem and edited["new_word"] not in text
    changed_lines = [(a, b) for a, b in zip(text.splitlines(), after.splitlines(), strict=True) if a != b]
    assert len(changed_lines) == 1  # the rest of the file is byte for byte the same
    assert len(after) - len(text) == len(edited["new_word"]) - len(edited["old_word"])
    old, new = yaml.safe_load(text), yaml.safe_load(after)
    assert {k for k in old if old[k] != new[k]} == {"analysis"}
    assert new["analysis"].split() != old["analysis"].split()
    assert len(new["analysis"].split()) == len(old["analysis"].split())
    changed = [(a, b) for a, b in zip(old["analysis"].split(), new["analysis"].split(), strict=True) if a != b]
    assert len(changed) == 1 and edited["new_word"] in changed[0][1]


def test_a_page_without_the_edit_is_told_apart(tmp_path):
    edited = {"claim": "some-claim", "old_word": "budget", "new_word": bench.EDITED_WORD}
    assert not bench.edit_shown(tmp_path, edited)  # no page at all
    page = bench.claim_page(tmp_path, "some-claim")
    page.parent.mkdir(parents=True)
    page.write_text("<p>the budget grew</p>", encoding="utf-8")
    assert not bench.edit_shown(tmp_path, edited)
    page.write_text(f"<p>the {bench.EDITED_WORD} grew</p>", encoding="utf-8")
    assert bench.edit_shown(tmp_path, edited)


@pytest.mark.slow
def test_a_small_bench_run_reports_the_rebuilds_and_the_targets(tmp_path):
    command = [sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "5", "--corpus", "synthetic", "--no-search",
               "--serve-size", "0", "--out", str(tmp_path)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    # At 5 claims a build is mostly start-up, so the rebuild targets may fail (exit 1); the report is still written.
    assert result.returncode in (0, 1) and (tmp_path / "bench.json").is_file(), result.stdout + result.stderr
    report = json.loads((tmp_path / "bench.json").read_text(encoding="utf-8"))
    (size,) = report["sizes"]
    for field in ("build_s", "warm_s", "edit_s", "warm_peak_mb", "edit_peak_mb", "warm_vs_cold", "edit_vs_cold"):
        assert isinstance(size[field], (int, float)) and size[field] > 0, field
    assert set(report["ratios"]["5"]) >= {"build_vs_baseline", "warm_vs_cold", "edit_vs_cold"}
    assert set(report["targets"]) == TARGET_NAMES
    for name in ("build_vs_baseline", "nothing_changed_vs_cold", "one_edit_vs_cold", "peak_mb"):
        target = report["targets"][name]
        assert target["at_claims"] == 5 and target["pass"] in (True, False) and target["value"] is not None, name
    assert report["targets"]["nothing_changed_vs_cold"]["value"] == size["warm_vs_cold"]
    assert report["targets"]["search_results"]["pass"] is None and report["targets"]["serve_edit_seconds"]["pass"] is None
    page = tmp_path / "project-5" / "site" / "claims" / size["edited_claim"] / "index.html"
    assert size["edited_word"][1] in page.read_text(encoding="utf-8")  # the edit build showed the edit
    assert "warm s" in result.stdout and "nothing_changed_vs_cold" in result.stdout
