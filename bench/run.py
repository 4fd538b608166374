"""Run the benchmarks: every bench/bench_*.py, each in its own process (`make bench`).

    .venv/bin/python bench/run.py            all of them
    .venv/bin/python bench/run.py login      those whose name contains "login"

Each benchmark prints summary lines on stdout,
`<name>: <figure> | <baseline name>: <baseline figure> | ratio <x.xx>`, and its progress on stderr.
The summary lines are repeated at the end and appended, dated, to bench/out/results.txt.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import SUMMARY, backend_label, machine_note  # noqa: E402


def discover(patterns: list[str]) -> list[Path]:
    found = sorted(HERE.glob("bench_*.py"))
    if patterns:
        found = [p for p in found if any(pat in p.stem.removeprefix("bench_") for pat in patterns)]
    return found


def run_one(path: Path) -> tuple[int, list[str], float]:
    """Run one benchmark; stderr passes through, stdout is collected and checked line by line."""
    started = time.monotonic()
    process = subprocess.Popen([sys.executable, str(path)], cwd=HERE.parent, stdout=subprocess.PIPE, text=True)
    lines = []
    assert process.stdout is not None
    for raw in process.stdout:
        line = raw.rstrip("\n")
        if not line:
            continue
        print(line, flush=True)
        if SUMMARY.match(line):
            lines.append(line)
        else:
            print(f"run.py: {path.name} printed a line that is not a summary line (use stderr)", file=sys.stderr)
    code = process.wait()
    return code, lines, time.monotonic() - started


def main(argv: list[str]) -> int:
    patterns = [a for a in argv if not a.startswith("-")]
    benchmarks = discover(patterns)
    if not benchmarks:
        print(f"no benchmark matches {' '.join(patterns)!r}; there are: "
              + ", ".join(p.stem.removeprefix("bench_") for p in discover([])), file=sys.stderr)
        return 2
    print(f"run.py: {machine_note()}; {backend_label()}", file=sys.stderr)
    results: list[str] = []
    failures: list[str] = []
    for path in benchmarks:
        name = path.stem.removeprefix("bench_")
        print(f"run.py: {name} ...", file=sys.stderr, flush=True)
        code, lines, took = run_one(path)
        print(f"run.py: {name} took {took:.0f} s" + (f", exit status {code}" if code else ""), file=sys.stderr)
        results.extend(lines)
        if code or not lines:
            failures.append(name)
    if results:
        print("\n== summary ==")
        print("\n".join(results))
        out = HERE / "out"
        out.mkdir(exist_ok=True)
        stamp = datetime.now().astimezone().isoformat(timespec="seconds")
        with open(out / "results.txt", "a", encoding="utf-8") as f:
            for line in results:
                f.write(f"{stamp}\t{backend_label()}\t{os.environ.get('RRT_BENCH_SERVER', 'gunicorn')}\t{line}\n")
    if failures:
        print(f"run.py: failed: {', '.join(failures)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
