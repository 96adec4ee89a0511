"""From frames to graphs: filters on a network, networkx views, and the engine graph.

* :mod:`~graphcap.graph.netfilter` — :class:`NetworkFilter` and :func:`apply_filter`;
* :mod:`~graphcap.graph.projection` — networkx views of a network and the engine graph;
* :mod:`~graphcap.graph.engine` — igraph behind networkx-shaped functions (:class:`EngineGraph`).

Pure: no I/O. Everything in :mod:`graphcap.metrics` sits above this package.
"""
