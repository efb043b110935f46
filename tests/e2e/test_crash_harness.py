"""The crash harness, small: a few kill -9 rounds during a batch of files, then the same checks as
benchmarks/crash_harness.py (nothing lost, no order twice, nothing sent twice, all final). The
full run (200 files, 100 kills) is a benchmark, not a test."""
from __future__ import annotations

import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO))


def test_kill_9_during_a_batch_loses_and_duplicates_nothing(tmp_path):
    pytest.importorskip("gateway.inbound")
    from benchmarks.crash_harness import MUST_BE_ZERO, run_harness

    figures = run_harness(files=4, kills=2, lines=2, seed=7, min_delay=0.0, max_delay=2.0,
                          refill=False, workdir=tmp_path, log=lambda _m: None)
    assert figures["files_dropped"] == 6
    assert figures["file_states"].get("applied") == 4
    for key in MUST_BE_ZERO:
        assert figures[key] == 0, (key, figures)
