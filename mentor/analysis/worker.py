"""`python -m mentor.analysis.worker IN OUT`: analyse the threads pickled in file IN and write
their analysis store rows pickled to OUT. `AnalysisStore.sync` runs it as a second process so
that a large sync uses both cores; the files are the store's own, written by the same mentor."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path

from mentor.analysis.store import analysis_rows


def main(source: Path, target: Path) -> None:
    target.write_bytes(pickle.dumps(analysis_rows(pickle.loads(source.read_bytes()))))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
