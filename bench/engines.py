"""Languages built one after the other or in parallel, and the three engines, on one synthetic portal.

Usage: python bench/engines.py [--lessons 2000] [--roles 50] [--languages 5] [--jobs N]
                               [--engines mkdocs,properdocs,zensical] [--overrides DIR] [--no-targets]

Generates the synthetic portal (bench/synth.py) in the sample's five languages (it has no
translation files: every language is a full build of the same pages under its own interface),
then runs, each in its own process, on the same content within one run:

1. ``portal build --jobs 1`` on MkDocs: the languages one after the other;
2. ``portal build --jobs N`` on MkDocs (N: one per available core): the languages in parallel;
3. ``portal build --jobs N`` on each other engine asked for (ProperDocs, Zensical).

For each it prints the wall time, the processor time (user and system, the process and all its
children: what other work on a shared machine does not inflate) and the peak memory of the whole
process tree, sampled every 0.25 s from the kernel: the sum of every process's proportional set
size (PSS: a page that forked workers share counts once in all), and the sum of their resident
sets (RSS: shared pages counted in each). Then the ratios: parallel / sequential (target: wall
time at most 0.6 on two cores) and each engine / MkDocs.

An engine that is not installed, or that fails on the content, is reported with its error and
the run goes on. ``--overrides`` builds with another ``overrides/`` folder (the repository's
own build on Zensical as they are). The exit status is 0 when the parallel target holds, or with
--no-targets (the test that keeps this script from rotting runs it at a tiny scale).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402
from export import publish_in_languages  # noqa: E402
from run import PY, folder_bytes  # noqa: E402

REPO = HERE.parent
TARGET_PARALLEL = 0.6
SAMPLE_EVERY_S = 0.25


@dataclass
class Measured:
    label: str
    seconds: float = 0.0
    cpu_seconds: float = 0.0
    peak_pss_mib: float = 0.0
    peak_rss_mib: float = 0.0
    processes: int = 0
    """The most processes alive at once in the tree."""
    site_mib: float = 0.0
    error: str = ""


def _children(pid: int) -> list[int]:
    found: list[int] = []
    try:
        tasks = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return found
    for task in tasks:
        try:
            with open(f"/proc/{pid}/task/{task}/children") as stream:
                found += [int(child) for child in stream.read().split()]
        except OSError:
            continue
    return found


def _memory_kib(pid: int) -> tuple[int, int]:
    """(PSS, RSS) of one process in KiB, or zeros once it is gone."""
    pss = rss = 0
    try:
        with open(f"/proc/{pid}/smaps_rollup") as stream:
            for line in stream:
                if line.startswith("Pss:"):
                    pss = int(line.split()[1])
                elif line.startswith("Rss:"):
                    rss = int(line.split()[1])
    except OSError:
        pass
    return pss, rss


def tree_memory(root_pid: int) -> tuple[int, int, int]:
    """The summed PSS and RSS (KiB) of ``root_pid`` and all its descendants, and how many there are."""
    pids, seen = [root_pid], []
    while pids:
        pid = pids.pop()
        seen.append(pid)
        pids += _children(pid)
    totals = [_memory_kib(pid) for pid in seen]
    return sum(p for p, _ in totals), sum(r for _, r in totals), len(seen)


def measure(label: str, argv: list[str], site: Path, env: dict[str, str]) -> Measured:
    """Run ``argv``; its wall and processor time and the peak memory of its process tree."""
    result = Measured(label)
    shutil.rmtree(site, ignore_errors=True)
    with tempfile.TemporaryFile() as out:
        started = time.perf_counter()
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.STDOUT, env=env)
        done = threading.Event()
        peaks = [0, 0, 0]

        def sample() -> None:
            while not done.is_set():
                pss, rss, count = tree_memory(process.pid)
                peaks[0], peaks[1], peaks[2] = max(peaks[0], pss), max(peaks[1], rss), max(peaks[2], count)
                done.wait(SAMPLE_EVERY_S)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        result.seconds = time.perf_counter() - started
        done.set()
        sampler.join()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    # The build's own time and that of the workers it waited for (wait4 counts both).
    result.cpu_seconds = usage.ru_utime + usage.ru_stime
    result.peak_pss_mib, result.peak_rss_mib, result.processes = peaks[0] / 1024, peaks[1] / 1024, peaks[2]
    if process.returncode != 0:
        lines = [line for line in output.splitlines() if line.strip()]
        said = [line for line in lines if line.startswith("Error")] or lines[-1:]  # not the content's warnings
        result.error = (said[0] if said else f"exit status {process.returncode}")[:300]
    else:
        result.site_mib = folder_bytes(site) / 2**20
    return result


def show(rows: list[Measured]) -> None:
    print(f"{'run':<34} {'wall s':>8} {'cpu s':>8} {'PSS MiB':>8} {'RSS MiB':>8} {'procs':>5} {'site MiB':>8}")
    for row in rows:
        if row.error:
            print(f"{row.label:<34} failed: {row.error}")
            continue
        print(f"{row.label:<34} {row.seconds:8.1f} {row.cpu_seconds:8.1f} {row.peak_pss_mib:8.0f} "
              f"{row.peak_rss_mib:8.0f} {row.processes:5d} {row.site_mib:8.1f}")


def ratio(one: Measured, other: Measured, name: str) -> float | None:
    if one.error or other.error:
        print(f"{name}: not measured (a build failed)")
        return None
    value = one.seconds / other.seconds
    print(f"{name}: wall x{value:.2f}, cpu x{one.cpu_seconds / other.cpu_seconds:.2f}, "
          f"peak PSS x{one.peak_pss_mib / other.peak_pss_mib:.2f}, "
          f"peak RSS x{one.peak_rss_mib / other.peak_rss_mib:.2f}")
    return value


def main(argv: list[str] | None = None) -> int:
    from generator.engines import available_cores

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", type=int, default=2000)
    parser.add_argument("--roles", type=int, default=50)
    parser.add_argument("--languages", type=int, default=5, help="how many of the sample's languages")
    parser.add_argument("--jobs", type=int, default=available_cores(), help="workers of the parallel builds")
    parser.add_argument("--engines", default="mkdocs,properdocs,zensical")
    parser.add_argument("--overrides", type=Path, help="build with this overrides/ folder instead of the sample's")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-targets", action="store_true", help="print figures, exit 0 whatever they are")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)
    engines = [name.strip() for name in args.engines.split(",") if name.strip()]

    with tempfile.TemporaryDirectory(prefix="portal-engines-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        root = synth.generate(work / "repo", lessons=args.lessons, roles=args.roles, seed=args.seed)
        codes = publish_in_languages(root, args.languages)
        if args.overrides:
            shutil.rmtree(root / "overrides")
            shutil.copytree(args.overrides, root / "overrides")
        # No git history in the synthetic repository: a fixed date, the same for every run.
        env = {**os.environ, "SOURCE_DATE_EPOCH": "1700000000"}
        env.pop("PORTAL_ENGINE", None)
        site = work / "site"

        def portal_build(engine: str, jobs: int) -> list[str]:
            return [PY, "-m", "generator", "--root", str(root), "build", "--site-dir", str(site),
                    "--engine", engine, "--jobs", str(jobs)]

        print(f"lessons {args.lessons}, roles {args.roles}, languages {', '.join(codes)}; "
              f"{available_cores()} cores available, parallel builds with --jobs {args.jobs}")
        sequential = measure("mkdocs, languages one by one", portal_build("mkdocs", 1), site, env)
        parallel = measure(f"mkdocs, {args.jobs} languages at once", portal_build("mkdocs", args.jobs), site, env)
        by_engine = {"mkdocs": parallel}
        for engine in engines:
            if engine != "mkdocs":
                by_engine[engine] = measure(f"{engine}, {args.jobs} languages at once",
                                            portal_build(engine, args.jobs), site, env)
        show([sequential, *by_engine.values()])
        print()
        parallel_ratio = ratio(parallel, sequential, f"parallel ({args.jobs} jobs) / sequential")
        if parallel_ratio is not None:
            print(f"  target: wall at most x{TARGET_PARALLEL} on two cores")
        for engine, measured in by_engine.items():
            if engine != "mkdocs":
                ratio(measured, parallel, f"{engine} / mkdocs (both {args.jobs} jobs)")
        print("\n(wall time counts everyone's work on a shared machine; cpu time and memory do not)")
    if args.no_targets:
        return 0
    return 0 if parallel_ratio is not None and parallel_ratio <= TARGET_PARALLEL else 1


if __name__ == "__main__":
    sys.exit(main())
