"""The benchmark script keeps working (tiny scale; no timing is asserted)."""

from __future__ import annotations

import subprocess
import sys

from conftest import REPO


def test_bench_runs_at_a_tiny_scale_and_prints_every_figure(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "bench/run.py"), "--lessons", "12", "--roles", "3", "--growth-from", "6",
         "--repeat", "1", "--no-targets", "--keep", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for figure in ("validate_s", "generator_s", "build_s", "floor_s", "build_mib", "site_mib",
                   "search_index_kib_en", "home_kib", "serve_latency_s", "overhead over the floor",
                   "generator share of the build", "validation per 1,000 lessons", "growth 6 -> 12"):
        assert figure in result.stdout, figure


def test_bench_roles_axis_runs_at_a_tiny_scale_and_prints_size_and_time_per_page(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "bench/run.py"), "--roles-axis", "2,4", "--axis-lessons", "3", "--repeat", "1",
         "--no-targets", "--keep", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for figure in ("bytes/page", "ms/page", "largest KiB", "site bytes  2 -> 4 roles", "build time  2 -> 4 roles",
                   "at most 2.2x"):
        assert figure in result.stdout, figure
    table = result.stdout.split("bytes/page", 1)[1].split("growth", 1)[0]
    rows = [line.split() for line in table.splitlines()[1:] if line.strip()]
    assert [row[0] for row in rows] == ["2", "4"] and int(rows[1][1]) > int(rows[0][1]), "more roles, more pages"


def test_export_bench_runs_at_a_tiny_scale_and_prints_its_figures(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "bench/export.py"), "--lessons", "12", "--roles", "3", "--languages", "2",
         "--no-targets", "--keep", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for figure in ("build_s", "export_all_s", "export / build", "zips 2, total"):
        assert figure in result.stdout, figure


def test_progress_bench_runs_at_a_tiny_scale_and_prints_its_figures():
    result = subprocess.run(
        [sys.executable, str(REPO / "bench/progress.py"), "--people", "20", "--statements", "300", "--repeat", "1",
         "--no-targets"],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for figure in ("portal progress:", "reading alone", "ratio to reading"):
        assert figure in result.stdout, figure


def test_engines_bench_runs_at_a_tiny_scale_and_prints_its_figures(tmp_path):
    result = subprocess.run(
        [sys.executable, str(REPO / "bench/engines.py"), "--lessons", "6", "--roles", "2", "--languages", "2",
         "--engines", "mkdocs,no-such-engine", "--jobs", "2", "--no-targets", "--keep", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    for figure in ("mkdocs, languages one by one", "languages at once", "PSS MiB", "RSS MiB",
                   "parallel (2 jobs) / sequential: wall x", "target: wall at most x0.6",
                   "no-such-engine, 2 languages at once failed: Error: Invalid value for '--engine'"):
        assert figure in result.stdout, figure
