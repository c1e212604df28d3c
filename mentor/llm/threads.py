"""How llama.cpp uses the CPU: how many threads, and how they wait for work.

Measured on 2 cores shared with other busy processes (SmolLM2-135M, a 400-token prompt; see the
README's figures): llama.cpp's OpenMP threads spin while they wait for each other, so with both
cores in use and other processes on them, decode ran at 2–14 tokens/s (one thread: 38–69) and
the first token came after 4–16 s. Threads that never spin (`OMP_WAIT_POLICY=PASSIVE`) fixed
that but made a quiet machine's first token about 5% slower than llama-cpp-python's defaults;
a short spin (`GOMP_SPINCOUNT`, about a few microseconds) before sleeping keeps the quiet
machine's speed, and using only the free cores keeps a busy machine's (2026-11-29, 2 cores:
first token 0.98 and 0.97 of raw's, quiet and beside a busy process).
Hyper-threads add nothing to a memory-bound decode, so the default is the physical cores this
process may run on, not `os.cpu_count()`.

Decoding is a chain of small steps, each waiting for its slowest thread: a thread that shares its
core with another busy process holds up every token (on 2 cores with one busy, 2 decode threads
gave 23 tokens/s where 1 gave 35), and on a quiet machine too a small model decodes fastest on
few threads (SmolLM2 on 2 quiet cores: 38 tokens/s on 2 threads, 65 on 1). So unless the person
set `threads`, each answer decodes with the cores that other processes left free since the last
answer (`free_cores`), at most half the physical cores (llama-cpp-python's own default), and
reads the prompt, which parallelizes well, with all the free ones.
"""

from __future__ import annotations

import os
import time
from types import ModuleType

import psutil

#: How long llama.cpp's OpenMP threads spin before they sleep while waiting for each other, in
#: spin iterations (read by libgomp once, when llama.cpp's library loads; its default is 300,000).
SPIN = ("GOMP_SPINCOUNT", "20000")


def available_cores() -> int:
    """Physical cores this process may run on: the CPUs in its affinity mask, less the second
    hyper-thread of each core (estimated from the machine's ratio of logical to physical CPUs)."""
    try:
        allowed = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        allowed = os.cpu_count() or 1
    return max(1, allowed // _logical_per_core())


def threads_setting() -> int:
    """Threads for llama.cpp work opened outside the settings (the embedding model, rebuilt by
    chromadb from its stored config): $MENTOR_THREADS when it is a number of 1 or more, else
    `available_cores()`."""
    value = os.environ.get("MENTOR_THREADS", "")
    return int(value) if value.isdigit() and int(value) > 0 else available_cores()


#: The shortest stretch over which `CoreMeter.free_cores` measures the other processes' CPU use.
MIN_WINDOW_S = 0.05
_BUSY_FIELDS = ("user", "nice", "system", "irq", "softirq", "steal")


def _cpu_seconds() -> tuple[float, float, float]:
    """(wall clock, CPU seconds all processes were busy, CPU seconds this process used)."""
    machine = psutil.cpu_times()
    mine = psutil.Process().cpu_times()
    return (time.perf_counter(), sum(getattr(machine, name, 0.0) for name in _BUSY_FIELDS),
            mine.user + mine.system)


class CoreMeter:
    """How many of our cores other processes keep busy (this process's own use left out)."""

    def __init__(self) -> None:
        self.cores = available_cores()
        self._start = _cpu_seconds()

    def reset(self) -> None:
        """Start a measuring stretch (at the end of an answer)."""
        self._start = _cpu_seconds()

    def free_cores(self) -> int:
        """Cores (at least 1) that other processes left free since `reset`; a stretch shorter
        than `MIN_WINDOW_S` is extended to it."""
        wait = MIN_WINDOW_S - (time.perf_counter() - self._start[0])
        if wait > 0:
            time.sleep(wait)
        now = _cpu_seconds()
        others = (now[1] - self._start[1]) - (now[2] - self._start[2])
        busy = others / max(1e-9, now[0] - self._start[0]) / _logical_per_core()
        return max(1, min(self.cores, round(self.cores - busy)))


def _logical_per_core() -> int:
    logical = psutil.cpu_count(logical=True) or 1
    return max(1, round(logical / (psutil.cpu_count(logical=False) or logical)))


def import_llama_cpp() -> ModuleType:
    """`llama_cpp`, imported with a short spin set up first (unless the environment already chose
    one, or a wait policy). Every mentor module that runs llama.cpp imports it through here; if
    the host program loaded llama.cpp before, its threads keep the policy they started with."""
    if "OMP_WAIT_POLICY" not in os.environ:
        os.environ.setdefault(*SPIN)
    import llama_cpp

    return llama_cpp
