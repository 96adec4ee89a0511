"""igraph's notices on disconnected and acyclic graphs never reach the user's terminal.

eigenvector_array handles both cases; igraph still warns. Silencing the call with
``warnings.catch_warnings`` alone failed when the analysis ran in a thread beside another
(``graphcap metrics`` reads the network in one): a thread leaving its own ``catch_warnings``
restored filters without the ignore, and the warning was printed. The ignore is now installed
for the process when ``graphcap.metrics.spectral`` (so also ``graphcap.metrics.position``) is
imported. Checked in a fresh interpreter, where pytest's own filters (every warning an error) do
not apply.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent(
    """
    import threading, warnings
    import numpy as np
    import graphcap.metrics.spectral as P
    from graphcap.graph._igraph import ig
    from graphcap.graph.engine import EngineGraph

    # igraph called directly, outside any catch_warnings: the process-wide filter holds
    ig.Graph([(0, 1), (2, 3)]).eigenvector_centrality()
    ig.Graph([(0, 1), (1, 2)], directed=True).eigenvector_centrality(directed=True)

    # the analysis' function beside threads that enter and leave catch_warnings all the time
    eg = EngineGraph.from_arrays(list(range(6)), np.array([0, 2, 4]), np.array([1, 3, 5]),
                                 directed=False)
    stop = threading.Event()
    def churn():
        while not stop.is_set():
            with warnings.catch_warnings():
                warnings.simplefilter("default")
    churners = [threading.Thread(target=churn) for _ in range(3)]
    for t in churners:
        t.start()
    try:
        for _ in range(200):
            P.eigenvector_array(eg)
    finally:
        stop.set()
        for t in churners:
            t.join()
    print("done")
    """
)


def test_igraph_eigenvector_notices_are_not_printed():
    run = subprocess.run(
        [sys.executable, "-W", "default", "-c", SCRIPT],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "done"
    assert "eigenvector" not in run.stderr, run.stderr
    assert "RuntimeWarning" not in run.stderr, run.stderr


def test_other_runtime_warnings_still_show():
    """Only igraph's two notices are silenced, not RuntimeWarning as a whole."""
    run = subprocess.run(
        [
            sys.executable,
            "-W",
            "default",
            "-c",
            "import warnings, graphcap.metrics.position\n"
            "warnings.warn('something else', RuntimeWarning)",
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert "RuntimeWarning: something else" in run.stderr
