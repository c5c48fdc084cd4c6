"""Run one command and print its wall time and peak memory as JSON.

Each measurement runs in a fresh copy of this wrapper, so the peak RSS of its children
(getrusage reports the largest child it has waited for) belongs to that command alone.
Usage: python -m benchmarks.measure -- COMMAND [ARG...]
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main(argv: list[str]) -> int:
    command = argv[argv.index("--") + 1 :] if "--" in argv else argv
    started = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds = time.perf_counter() - started
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_rss_mb": peak_kb / 1024,
                "returncode": done.returncode,
                "stderr_tail": done.stderr[-2000:],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
