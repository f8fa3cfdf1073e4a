"""Extraction on real reports nobody here wrote, scored against an analyst's annotations: a ratchet.

`../shared/realtexts` (beside the project, never copied into it) holds public texts with gold annotations
and the scorer the team measures with. Each measure must stay at or above the committed baseline
(`realtexts_baseline.json`); when extraction improves, raise the baseline in the same commit. Skipped where
the folder is absent (a clone without the shared folder).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
REALTEXTS = ROOT.parent / "shared" / "realtexts"
BASELINE = Path(__file__).with_name("realtexts_baseline.json")


@pytest.fixture(scope="module")
def scores() -> dict[str, float]:
    scorer = REALTEXTS / "score.py"
    if not scorer.is_file():
        pytest.skip(f"no real texts at {REALTEXTS}")
    run = subprocess.run(
        [sys.executable, str(scorer), str(REALTEXTS), "--project", str(ROOT), "--json"],
        capture_output=True, text=True, timeout=600, env={**os.environ, "PY": sys.executable},
    )
    assert run.returncode == 0, run.stderr[-2000:]
    line = next(line for line in run.stdout.splitlines() if line.startswith("{"))
    return json.loads(line)["scores"]


def test_no_measure_drops_below_the_baseline(scores):
    baseline = json.loads(BASELINE.read_text())
    dropped = {k: (round(scores.get(k, 0.0), 3), v) for k, v in baseline.items() if scores.get(k, 0.0) < v - 1e-9}
    assert not dropped, f"measures below the committed baseline (now, baseline): {dropped}"
