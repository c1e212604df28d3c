"""How llama.cpp uses the CPU: how many threads, and how they wait for work.

Measured on 2 cores shared with other busy processes (SmolLM2-135M, a 400-token prompt; see the
README's figures): llama.cpp's OpenMP threads spin while they wait for each other, so with every
core in use and another process on one of them, decode fell from ~40 to 2–7 tokens/s and the
first token from ~4 s to 8–17 s. With `OMP_WAIT_POLICY=PASSIVE` waiting threads sleep instead,
and all physical cores gave 46–58 tokens/s and a 3.7–3.8 s first token on the same machine.
Hyper-threads add nothing to a memory-bound decode, so the default is the physical cores this
process may run on, not `os.cpu_count()`.
"""

from __future__ import annotations

import os
from types import ModuleType

import psutil

#: How llama.cpp's OpenMP threads wait (read by libgomp once, when llama.cpp's library loads).
WAIT_POLICY = ("OMP_WAIT_POLICY", "PASSIVE")


def available_cores() -> int:
    """Physical cores this process may run on: the CPUs in its affinity mask, less the second
    hyper-thread of each core (estimated from the machine's ratio of logical to physical CPUs)."""
    try:
        allowed = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not Linux
        allowed = os.cpu_count() or 1
    logical = psutil.cpu_count(logical=True) or allowed
    physical = psutil.cpu_count(logical=False) or logical
    per_core = max(1, round(logical / physical))
    return max(1, allowed // per_core)


def llama_threads(setting: int | None = None) -> int:
    """Threads for llama.cpp's decode and prompt evaluation: `setting` (config `threads`,
    `$MENTOR_THREADS` or `--threads`) when given, else `available_cores()`."""
    return setting if setting else available_cores()


def import_llama_cpp() -> ModuleType:
    """`llama_cpp`, imported with passive waiting set up first (unless the environment already
    chose a wait policy). Every mentor module that runs llama.cpp imports it through here; if
    the host program loaded llama.cpp before, its threads keep the policy they started with."""
    os.environ.setdefault(*WAIT_POLICY)
    import llama_cpp

    return llama_cpp
