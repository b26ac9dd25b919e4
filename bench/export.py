"""What `portal export --all` costs against building the same pages for the site.

Usage: python bench/export.py [--lessons 2000] [--roles 50] [--languages 5] [--format scorm2004]

Generates the synthetic portal (bench/synth.py), publishes it in the sample's languages (the
synthetic content has no translation files: every language shows the default language's text
under its own interface, so each language is a full build of the same pages), then, each in its
own process on the same content: a full `portal build`, and `portal export --all` of every path
in every language (`--fallback en`). Prints both times, their ratio (target: at most 2.0, since
the work is the same rendering plus zipping), and the zips' sizes. Exit status 0 only when the
target holds (unless --no-targets, used by the test that keeps this script from rotting).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import synth  # noqa: E402
from run import PY, folder_bytes, measure  # noqa: E402

REPO = HERE.parent
TARGET_RATIO = 2.0


def publish_in_languages(root: Path, count: int) -> list[str]:
    """Give the synthetic portal the first ``count`` of the sample's languages."""
    sample = yaml.safe_load((REPO / "content" / "portal.yml").read_text("utf-8"))
    languages = sample["languages"][:count]
    config_path = root / "content" / "portal.yml"
    config = yaml.safe_load(config_path.read_text("utf-8"))
    config["languages"] = languages
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), "utf-8")
    return [language["code"] for language in languages]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lessons", type=int, default=2000)
    parser.add_argument("--roles", type=int, default=50)
    parser.add_argument("--languages", type=int, default=5, help="how many of the sample's languages")
    parser.add_argument("--format", default="scorm2004", choices=["scorm12", "scorm2004", "cmi5"])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--no-targets", action="store_true", help="print figures, exit 0 whatever they are")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="portal-export-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        root = synth.generate(work / "repo", lessons=args.lessons, roles=args.roles, seed=args.seed)
        codes = publish_in_languages(root, args.languages)
        portal = [PY, "-m", "generator", "--root", str(root)]
        build = measure([*portal, "build", "--site-dir", str(work / "site")])
        zips = work / "zips"
        export = measure([*portal, "export", "--all", "--format", args.format, "--fallback", codes[0],
                          "-o", str(zips)])
        sizes = sorted(path.stat().st_size for path in zips.glob("*.zip"))
        ratio = export.seconds / build.seconds
        print(f"lessons {args.lessons}, paths {len(sizes) // max(len(codes), 1)}, languages {', '.join(codes)}, "
              f"format {args.format}")
        print(f"build_s {build.seconds:.1f}  (site {folder_bytes(work / 'site') / 2**20:.1f} MiB, "
              f"peak {build.peak_mib:.0f} MiB)")
        print(f"export_all_s {export.seconds:.1f}  (peak {export.peak_mib:.0f} MiB)")
        print(f"export / build {ratio:.2f}  (target at most {TARGET_RATIO})")
        print(f"zips {len(sizes)}, total {sum(sizes) / 2**20:.1f} MiB, "
              f"median {sizes[len(sizes) // 2] / 1024:.0f} KiB, largest {sizes[-1] / 1024:.0f} KiB")
    if args.no_targets:
        return 0
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
