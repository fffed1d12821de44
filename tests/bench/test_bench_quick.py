"""The benchmark suite cannot rot: its quick mode runs every case and writes its results.

It checks that the suite runs, not that the goals are met (that is ``make bench``'s job).
It runs once, in the PostgreSQL pass: the suite needs PostgreSQL (and uses SQLite files of
its own), and the SQLite pass runs under coverage.
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path

import pytest

from tests.support.databases import (
    PostgresDatabases,
    SqliteDatabases,
    backend_name,
    postgres_admin_url,
)

REPO = Path(__file__).resolve().parents[2]
CASES = {"B1", "B2", "B4", "B5", "B6", "B7"}

pytestmark = pytest.mark.skipif(
    backend_name() != "postgres", reason="the quick benchmark runs in the PostgreSQL pass"
)


async def test_quick_benchmark_runs_every_case_and_writes_its_results(
    databases: SqliteDatabases | PostgresDatabases, tmp_path: Path
) -> None:
    output = tmp_path / "latest.json"
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bench",
        "--quick",
        "--output",
        str(output),
        "--data-dir",
        str(tmp_path / "data"),
        "--postgres-url",
        postgres_admin_url(),
        "--database",
        f"causerie_bench_test_{os.getpid()}",
        "--drop",
        cwd=REPO,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    log, _ = await asyncio.wait_for(process.communicate(), timeout=240)
    assert process.returncode == 0, log.decode(errors="replace")[-5000:]

    results = json.loads(output.read_text())
    cases = results["cases"]
    assert {case["case"] for case in cases} == CASES
    broken = [case for case in cases if case["status"] == "ERROR"]
    assert not broken, broken
    measured = [case for case in cases if case["status"] in {"PASS", "FAIL"}]
    assert all(case["value"] is not None for case in measured)
    assert {case["case"] for case in measured} == CASES
    assert results["mode"] == "quick"
    # The table printed at the end names every case too.
    table = log.decode(errors="replace")
    assert all(f"\n{case} " in table for case in CASES)
    # B1 is read against the framework floor too (FastAPI alone on the same SQL).
    floors = [case for case in cases if "framework floor" in case["name"]]
    assert [case["status"] for case in floors] == ["INFO", "INFO"], floors
