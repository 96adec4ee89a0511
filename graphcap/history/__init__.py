"""History of a network: the snapshot catalogue with provenance, diffs between snapshots, and trends.

* :mod:`~graphcap.history.catalogue` — snapshots on disk (create, list, find, load), trends;
* :mod:`~graphcap.history.diff` — what changed between two snapshots;
* :mod:`~graphcap.history.stored` — the analysis stored inside a snapshot.

The interaction log (dated contacts) is data of the network itself (``Network.interactions``),
not part of this package.
"""

from graphcap.history import catalogue as _catalogue
from graphcap.history.catalogue import *  # noqa: F403 - the catalogue is the package's surface

__all__ = list(_catalogue.__all__)
