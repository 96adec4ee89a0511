"""History of a network: the snapshot catalogue with provenance, diffs between snapshots, and trends.

* :mod:`~graphcap.history.catalogue` — snapshots on disk (create, list, find, load), trends;
* :mod:`~graphcap.history.diff` — what changed between two snapshots;
* :mod:`~graphcap.history.stored` — the analysis stored inside a snapshot.

The interaction log (dated contacts) is data of the network itself (``Network.interactions``),
not part of this package.
"""

from graphcap.history.catalogue import (
    SnapshotInfo,
    StoredAnalysis,
    create_snapshot,
    diff_snapshots,
    filter_description,
    find_snapshot,
    list_snapshots,
    load_content,
    metric_frames,
    network_hash,
    previous_snapshot,
    snapshots_dir,
    stored_analysis,
    trend_from_interactions,
    trend_from_snapshots,
)

__all__ = [
    "SnapshotInfo",
    "StoredAnalysis",
    "create_snapshot",
    "diff_snapshots",
    "filter_description",
    "find_snapshot",
    "list_snapshots",
    "load_content",
    "metric_frames",
    "network_hash",
    "previous_snapshot",
    "snapshots_dir",
    "stored_analysis",
    "trend_from_interactions",
    "trend_from_snapshots",
]
