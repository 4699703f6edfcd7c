"""The benchmark's realistic corpus (bench/corpus.py): the repository's claims cloned under new ids with their
words varied, still a valid project: quotes match their varied snapshots, every reference resolves."""

from __future__ import annotations

import importlib.util
import unicodedata

import pytest
import yaml
from helpers import REPO, run


@pytest.fixture(scope="module")
def corpus():
    spec = importlib.util.spec_from_file_location("bench_corpus", REPO / "bench" / "corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def project(corpus, tmp_path_factory):
    originals = len([p for p in (REPO / "claims").glob("*.yaml") if "." not in p.stem])
    root = tmp_path_factory.mktemp("bench") / "realistic"
    corpus.generate_realistic(root, originals + 5)
    return root, originals


def read(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def test_the_realistic_corpus_passes_the_strict_check(project):
    root, originals = project
    result = run(["factdesk", "check", "--strict"], cwd=root)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Checked {originals + 5} claims" in result.stdout


def test_the_first_copy_is_the_report_and_the_next_has_new_ids_and_other_words_of_the_same_length(project):
    root, originals = project
    copies = sorted(p.stem for p in (root / "claims").glob("*-c1.yaml"))
    assert len(copies) == 5 and len(list((root / "claims").glob("*.yaml"))) == originals + 5
    first = copies[0].removesuffix("-c1")
    original, copy = read(REPO / "claims" / f"{first}.yaml"), read(root / "claims" / f"{copies[0]}.yaml")
    assert read(root / "claims" / f"{first}.yaml") == original
    assert copy["verdict"] == original["verdict"] and copy["claim_date"] < original["claim_date"]
    assert all(item["source"].endswith("-c1") for item in copy["appearances"])
    for field in ("claim", "summary", "analysis"):
        same_length = len(unicodedata.normalize("NFKC", original[field]))  # as the quote check reads it
        assert copy[field] != original[field] and len(copy[field]) == same_length, field
    quoted = [item for item in copy["appearances"] if item["quote"] != original["appearances"][0]["quote"]]
    assert quoted, "the quotes are varied too (and still found in the varied snapshots: see the check above)"
