"""The Cypher console: everything that runs a user's query, in one package.

* :mod:`~graphcap.console.policy` — the read-only policy: the statement check before the server
  sees a query, the plan check, and :func:`~graphcap.console.policy.run_query`;
* :mod:`~graphcap.console.library` — the curated query library (``queries/*.cypher`` headers);
* :mod:`~graphcap.console.output` — result tables, downloads and the result's network.

Execution itself (EXPLAIN, read transaction, timeout, row cap) is in
:mod:`graphcap.store.readonly`, since only the store speaks to Neo4j.
"""
