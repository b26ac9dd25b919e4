"""What a portal build costs, against the floor that plain MkDocs sets, on synthetic content.

Usage: python bench/run.py [--lessons 2000] [--roles 50] [--growth-from 500] [--no-targets]
       python bench/run.py --roles-axis 50,500,5000 [--axis-lessons 100] [--repeat 1]

Every figure comes from its own child process (wall time, and peak memory from
the kernel's accounting of that child), all on the same generated content in
one run, so ratios hold even when the machine's speed drifts between runs.
The exit status is 0 only when every target in bench/README.md holds (unless
--no-targets, used by the test that keeps this script from rotting).
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import os
import platform
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402

PY = sys.executable


@dataclass
class Run:
    seconds: float
    peak_mib: float
    output: str
    cpu_seconds: float = 0.0
    """User and system time of the child and of the children it waited for: what a busy machine's
    other work does not inflate, unlike wall time."""


def measure(argv: list[str], *, cwd: Path | None = None, env: dict[str, str] | None = None) -> Run:
    """Run ``argv`` as a child; its wall time and its own peak resident memory."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, cwd=cwd, stdout=out, stderr=subprocess.STDOUT, env=env)
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        output = out.read().decode("utf-8", "replace")
    if proc.returncode != 0:
        raise SystemExit(f"command failed ({proc.returncode}): {' '.join(argv)}\n{output[-3000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, output, usage.ru_utime + usage.ru_stime)


GENERATOR_ONLY = """
import sys, time
from pathlib import Path
from generator.validate import validate
from generator.project import prepare_project, write_docs_files
from generator.build import languages_of
root, out = Path(sys.argv[1]), Path(sys.argv[2])
started = time.perf_counter()
portal, problems = validate(root)
assert portal is not None and not problems.errors, problems.items[:5]
# What `portal build` does before MkDocs: check, render, write each language's mkdocs.yml
# (the pages go to MkDocs in memory).
projects = {language: prepare_project(portal, out / language, out / "site" / language, language, write=False)
            for language in languages_of(portal)}
print(f"GENERATOR_SECONDS {time.perf_counter() - started:.6f}")
# The same pages written out as ordinary Markdown, for the floor (not timed).
for language, project in projects.items():
    write_docs_files(project.files, out / language / "docs")
"""

FLOOR_CONFIG = """
import sys, yaml
from pathlib import Path
project = Path(sys.argv[1])
# Safe YAML, plus the one call the generated file names (the heading slugs, as
# !!python/object/apply:), kept as written so the floor builds the same heading ids.
APPLY = "tag:yaml.org,2002:python/object/apply:"
class Call(dict):
    function = ""
def construct(loader, function, node):
    call = Call(loader.construct_mapping(node, deep=True))
    call.function = function
    return call
class Loader(yaml.SafeLoader):
    pass
class Dumper(yaml.SafeDumper):
    pass
Loader.add_multi_constructor(APPLY, construct)
Dumper.add_representer(Call, lambda dumper, call: dumper.represent_mapping(APPLY + call.function, dict(call)))
config = yaml.load((project / "mkdocs.yml").read_text("utf-8").split("\\n", 1)[1], Loader=Loader)
config["nav"] = ["index.md"]
config["plugins"] = [p for p in config["plugins"] if (p if isinstance(p, str) else next(iter(p))) == "search"]
config.pop("not_in_nav", None)
config["strict"] = False
config["validation"] = {"nav": {"omitted_files": "info"}}
config["site_dir"] = sys.argv[2]
(project / "floor.yml").write_text(yaml.dump(config, Dumper=Dumper, allow_unicode=True, sort_keys=False), "utf-8")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str | None:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.read().decode("utf-8", "replace")
    except OSError:
        return None


def serve_latency(root: Path, lesson: str, *, saves: int = 3, timeout: float = 600) -> tuple[float, list[float]]:
    """(seconds to first page, seconds from each of ``saves`` successive saves of one lesson to its page served).

    Several saves in a row, because the first one alone hides a rebuild that fails or
    falls back to a full build every other time.
    """
    port = free_port()
    proc = subprocess.Popen(
        [PY, "-m", "generator", "--root", str(root), "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}/lessons/{lesson}/"
    source = root / "content" / "lessons" / f"{lesson}.md"
    text = source.read_text("utf-8")
    try:
        started = time.perf_counter()
        while fetch(url) is None:
            if proc.poll() is not None or time.perf_counter() - started > timeout:
                raise SystemExit("portal serve did not come up")
            time.sleep(0.2)
        first = time.perf_counter() - started
        time.sleep(1.5)  # let the watcher settle after the first build
        latencies = []
        for save in range(saves):
            marker = f"benchmarkmarker{int(time.time())}x{save}"
            saved = time.perf_counter()
            source.write_text(text + f"\nA new closing sentence with {marker}.\n", "utf-8")
            while marker not in (fetch(url) or ""):
                if time.perf_counter() - saved > timeout:
                    raise SystemExit("the edited lesson was never served")
                time.sleep(0.05)
            latencies.append(time.perf_counter() - saved)
        return first, latencies
    finally:
        source.write_text(text, "utf-8")
        proc.terminate()
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(10)
        if proc.poll() is None:
            proc.kill()


def home_bytes(site: Path) -> int:
    """Bytes a browser loads for the home page: the HTML and the CSS, JS and images it references."""
    html = (site / "index.html").read_text("utf-8")
    total = len(html.encode("utf-8"))
    refs = re.findall(r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src|img[^>]+src'
                      r'|link[^>]+rel="icon"[^>]+href)="([^"]+)"', html)
    for ref in set(refs):
        path = site / ref.split("?", 1)[0].split("#", 1)[0].lstrip("./")
        if path.is_file():
            total += path.stat().st_size
    return total


def first_visit_bytes(site: Path, page: str) -> int:
    """Bytes a browser loads on a first visit to ``page`` (a folder URL below ``site``, such as
    ``el/lessons/x/``) before the reader does anything: the HTML, the styles, scripts and images it
    references, and the portal's search worker the theme starts (not the theme's worker and the
    search index: those wait until the reader focuses search)."""
    folder = site / page
    html = (folder / "index.html").read_text("utf-8")
    total = len(html.encode("utf-8"))
    refs = set(re.findall(r'<(?:link[^>]+rel="(?:stylesheet|icon)"[^>]+href|script[^>]+src|img[^>]+src)="([^"]+)"',
                          html))
    worker = re.search(r'"search": "([^"?]+)', html)
    if worker:
        refs.add(worker.group(1))
    for ref in refs:
        path = (folder / ref.split("?", 1)[0].split("#", 1)[0]).resolve()
        if path.is_file():
            total += path.stat().st_size
    return total


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def versions() -> str:
    from importlib.metadata import version

    return ", ".join(f"{name} {version(name)}" for name in ("mkdocs", "mkdocs-material", "pydantic", "Markdown"))


def machine() -> str:
    memory = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    return (f"{os.cpu_count()} cores, {memory} memory, {platform.system()} {platform.machine()}, "
            f"Python {platform.python_version()}")


def bench_scale(work: Path, lessons: int, roles: int, seed: int, *, serve: bool, repeat: int) -> dict[str, float]:
    """Every figure at one scale; validation, generator, build and floor run ``repeat`` times in turn.

    Build and floor alternate (build, floor, build, floor, ...) so that drift in the
    machine's speed touches both alike; figures are medians, and the overhead is the
    median of the pairwise ratios.
    """
    root = synth.generate(work / f"repo-{lessons}", lessons=lessons, roles=roles, seed=seed)
    project = work / f"project-{lessons}"
    site = work / f"site-{lessons}"
    runs: dict[str, list[Run]] = {"validate": [], "generator": [], "build": [], "floor": []}
    for _ in range(repeat):
        runs["validate"].append(measure([PY, "-m", "generator", "--root", str(root), "validate"]))
        shutil.rmtree(project, ignore_errors=True)
        runs["generator"].append(measure([PY, "-c", GENERATOR_ONLY, str(root), str(project)]))
    languages = sorted(p.name for p in project.iterdir() if (p / "mkdocs.yml").is_file())
    for language in languages:
        measure([PY, "-c", FLOOR_CONFIG, str(project / language), str(work / f"floor-{lessons}-{language}")])
    overheads = []
    for _ in range(repeat):
        build = measure([PY, "-m", "generator", "--root", str(root), "build", "--site-dir", str(site)])
        floor_seconds, floor_peak = 0.0, 0.0
        for language in languages:
            run = measure([PY, "-m", "mkdocs", "build", "-q", "-f", str(project / language / "floor.yml")])
            floor_seconds += run.seconds
            floor_peak = max(floor_peak, run.peak_mib)
        runs["build"].append(build)
        runs["floor"].append(Run(floor_seconds, floor_peak, ""))
        overheads.append((build.seconds - floor_seconds) / floor_seconds)
        print(f"  {lessons} lessons, round {len(overheads)}: build {build.seconds:.2f} s, "
              f"floor {floor_seconds:.2f} s, overhead {overheads[-1]:.1%}", flush=True)
    figures: dict[str, float] = {}
    for name, taken in runs.items():
        figures[f"{name}_s"] = statistics.median(r.seconds for r in taken)
        figures[f"{name}_mib"] = max(r.peak_mib for r in taken)
    figures["generator_process_s"] = figures["generator_s"]
    # The generator's own work: load, check, render and write, without interpreter start-up
    # and imports (which the full build pays as well).
    figures["generator_s"] = statistics.median(
        float(re.findall(r"GENERATOR_SECONDS ([0-9.]+)", r.output)[-1]) for r in runs["generator"]
    )
    figures["overhead"] = statistics.median(overheads)
    figures["site_mib"] = folder_bytes(site) / 2**20
    for language in languages:
        language_site = site if language == languages[0] else site / language
        index = language_site / "search" / "search_index.json"
        if index.is_file():
            figures[f"search_index_kib_{language}"] = index.stat().st_size / 1024
    figures["home_kib"] = home_bytes(site) / 1024
    lesson = min(p.parent.name for p in (site / "lessons").glob("*/index.html"))
    for language in languages:
        prefix = "" if language == languages[0] else f"{language}/"
        for kind, page in (("home", ""), ("lesson", f"lessons/{lesson}/"), ("lessons", "lessons/")):
            if (site / prefix / page / "index.html").is_file():
                figures[f"first_visit_kib_{kind}_{language}"] = first_visit_bytes(site, prefix + page) / 1024
    if serve:
        first, latencies = serve_latency(root, "lesson-00001")
        figures["serve_first_s"] = first
        figures["serve_latency_s"] = statistics.median(latencies)
        figures["serve_latency_max_s"] = max(latencies)
    return figures


def html_pages(site: Path) -> int:
    """Pages of the built site (every language): its HTML files, the 404 page left out."""
    return sum(1 for page in site.rglob("*.html") if page.name != "404.html")


def bench_roles(work: Path, roles: int, lessons: int, seed: int, *, repeat: int) -> dict[str, float]:
    """A full build at ``roles`` roles and a fixed number of lessons: its time, and the site's bytes and pages."""
    root = synth.generate(work / f"roles-{roles}", lessons=lessons, roles=roles, seed=seed)
    site = work / f"roles-site-{roles}"
    builds = []
    for _ in range(repeat):
        builds.append(measure([PY, "-m", "generator", "--root", str(root), "build", "--site-dir", str(site)]))
        print(f"  {roles} roles, round {len(builds)}: build {builds[-1].seconds:.2f} s "
              f"({builds[-1].cpu_seconds:.2f} s of processor time)", flush=True)
    pages = html_pages(site)
    size = folder_bytes(site)
    seconds = statistics.median(b.seconds for b in builds)
    cpu = statistics.median(b.cpu_seconds for b in builds)
    figures = {
        "roles": roles, "pages": pages, "build_s": seconds, "build_mib": max(b.peak_mib for b in builds),
        "cpu_s": cpu, "cpu_ms_per_page": cpu / pages * 1000,
        "site_mib": size / 2**20, "bytes_per_page": size / pages, "ms_per_page": seconds / pages * 1000,
        "largest_page_kib": max(p.stat().st_size for p in site.rglob("*.html")) / 1024,
    }
    shutil.rmtree(site, ignore_errors=True)
    shutil.rmtree(root, ignore_errors=True)
    return figures


ROLES_GROWTH_SLACK = 1.1
"""Site bytes and build time may grow at most 1.1 times as fast as the roles (11x for 500 -> 5,000)."""


def roles_axis(args: argparse.Namespace) -> int:
    """The roles axis: the same lessons, more and more roles; size and time must grow linearly."""
    counts = sorted({int(n) for n in args.roles_axis.split(",")})
    work = args.keep or Path(tempfile.mkdtemp(prefix="portal-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"machine: {machine()}\nversions: {versions()}")
    print(f"command: python bench/run.py --roles-axis {','.join(map(str, counts))} "
          f"--axis-lessons {args.axis_lessons} --seed {args.seed} --repeat {args.repeat}")
    try:
        rows = [bench_roles(work, n, args.axis_lessons, args.seed, repeat=args.repeat) for n in counts]
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)
    print(f"\n{'roles':>8}{'pages':>9}{'build s':>10}{'cpu s':>9}{'site MiB':>10}{'bytes/page':>12}{'ms/page':>9}"
          f"{'cpu ms/page':>13}{'largest KiB':>13}{'peak MiB':>10}")
    for row in rows:
        print(f"{row['roles']:>8.0f}{row['pages']:>9.0f}{row['build_s']:>10.2f}{row['cpu_s']:>9.2f}"
              f"{row['site_mib']:>10.1f}{row['bytes_per_page']:>12.0f}{row['ms_per_page']:>9.1f}"
              f"{row['cpu_ms_per_page']:>13.1f}{row['largest_page_kib']:>13.0f}{row['build_mib']:>10.0f}")
    failed = []
    print(f"\ngrowth (at most {ROLES_GROWTH_SLACK:g} times the growth of the roles)")
    for small, large in itertools.pairwise(rows):
        limit = ROLES_GROWTH_SLACK * large["roles"] / small["roles"]
        # Build time is judged by processor time: wall time on a shared machine also counts the
        # others' work. Wall time is printed beside it.
        for label, key in (("site bytes", "site_mib"), ("build time", "cpu_s"), ("wall time", "build_s")):
            growth = large[key] / small[key]
            ok = growth <= limit or key == "build_s"
            print(f"  {label:<11} {small['roles']:.0f} -> {large['roles']:.0f} roles: {growth:6.2f}x  "
                  f"(per page {large[key] / large['pages'] / (small[key] / small['pages']):.2f}x; "
                  f"at most {limit:g}x)  {'ok' if ok else 'MISSED'}{' (not a target)' if key == 'build_s' else ''}")
            if not ok:
                failed.append(label)
    if args.json:
        args.json.write_text(json.dumps({"roles_axis": rows}, indent=2, sort_keys=True))
    if failed and not args.no_targets:
        print(f"\n{len(failed)} target(s) missed", file=sys.stderr)
        return 1
    return 0


TARGETS = {
    "generator share of the build (2 / 3)": ("generator_share", 0.05),
    "overhead over the floor ((3 - 4) / 4)": ("overhead", 0.10),
    "validation seconds": ("validate_s", 2.0),
    "growth factor of build time": ("growth", 4.4),
    "serve latency after one edit, seconds": ("serve_latency_s", 5.0),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", type=int, default=2000)
    parser.add_argument("--roles", type=int, default=50)
    parser.add_argument("--growth-from", type=int, default=500, help="the smaller scale for the growth factor")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of validate, generator, build and floor")
    parser.add_argument("--no-targets", action="store_true", help="print figures, exit 0 whatever they are")
    parser.add_argument("--no-serve", action="store_true", help="skip the serve latency measurement")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    parser.add_argument("--roles-axis", help="instead of the lessons axis: build at these numbers of roles, "
                        "e.g. 50,500,5000, and check that size and time grow linearly")
    parser.add_argument("--axis-lessons", type=int, default=100, help="lessons at every point of the roles axis")
    args = parser.parse_args(argv)
    if args.roles_axis:
        return roles_axis(args)

    work = args.keep or Path(tempfile.mkdtemp(prefix="portal-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        print(f"machine: {machine()}\nversions: {versions()}")
        print(f"command: python bench/run.py --lessons {args.lessons} --roles {args.roles} "
              f"--growth-from {args.growth_from} --seed {args.seed} --repeat {args.repeat}")
        small = bench_scale(work, args.growth_from, args.roles, args.seed, serve=False, repeat=args.repeat)
        large = bench_scale(work, args.lessons, args.roles, args.seed, serve=not args.no_serve, repeat=args.repeat)
    finally:
        if args.keep is None:
            shutil.rmtree(work, ignore_errors=True)

    large["generator_share"] = large["generator_s"] / large["build_s"]
    large["validate_per_1000_s"] = large["validate_s"] / args.lessons * 1000
    large["growth"] = large["build_s"] / small["build_s"]
    large["linear_growth"] = args.lessons / args.growth_from

    print(f"\n{'figure':<44}{args.growth_from:>12}{args.lessons:>12}")
    for key in sorted(k for k in large if k in small):
        print(f"{key:<44}{small[key]:>12.2f}{large[key]:>12.2f}")
    for key in ("serve_first_s", "serve_latency_s", "serve_latency_max_s"):
        if key in large:
            print(f"{key:<44}{'':>12}{large[key]:>12.2f}")
    print("\nratios")
    print(f"  overhead over the floor ((3 - 4) / 4)   {large['overhead']:8.1%}  (median of {args.repeat} pairs)")
    print(f"  generator share of the build (2 / 3)    {large['generator_share']:8.1%}")
    print(f"  validation per 1,000 lessons            {large['validate_per_1000_s']:8.2f} s")
    print(f"  growth {args.growth_from} -> {args.lessons} lessons (linear {large['linear_growth']:.1f})"
          f"{large['growth']:>11.2f}")
    if args.json:
        args.json.write_text(json.dumps({"small": small, "large": large}, indent=2, sort_keys=True))

    failed = []
    print("\ntargets")
    for label, (key, limit) in TARGETS.items():
        if key not in large:
            print(f"  {label:<42} not measured")
            continue
        ok = large[key] <= limit
        shown = f"{large[key]:.1%}" if limit < 1 else f"{large[key]:.2f}"
        print(f"  {label:<42} {shown:>8}  (at most {limit:g})  {'ok' if ok else 'MISSED'}")
        if not ok:
            failed.append(label)
    if failed and not args.no_targets:
        print(f"\n{len(failed)} target(s) missed", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
