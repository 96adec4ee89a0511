"""The local Neo4j: Neo4j Community 5.26 from Maven Central, run by graphcap on 127.0.0.1.

No Docker engine runs on our build machines, so for development, ``make run`` and the tests
graphcap starts Neo4j itself. Of the two ways Neo4j documents to run from Maven artifacts, we use
the embedded ``DatabaseManagementService`` with the Bolt connector: the Java part is one class
(``graphcap/localdb_src/``, shipped in the wheel), and the server is a separate JVM process that clients reach over Bolt exactly
as they reach any Neo4j server.

Files, all under ``home`` (default ``<data dir>/neo4j``, see :func:`graphcap.config.data_dir`):

- ``data/``, ``logs/`` the database (the DBMS's own layout)
- ``import/`` the only folder ``LOAD CSV`` may read (benchmarks)
- ``graphcap-neo4j.log`` the process's output; its tail is shown when start-up fails
- ``neo4j.pid`` pid of the running server
- ``password`` generated once (mode 0600); handed to the JVM in its environment, never argv
- ``neo4j.gds`` present while a server started with Graph Data Science runs

Graph Data Science (``start(gds=True)``, ``graphcap neo4j start --with-gds``): the open GDS
Community build (:data:`GDS_VERSION`, GPLv3) is resolved on request only, by its own POM
(``graphcap/localdb_src/gds/pom.xml``, shipped; an installed graphcap copies it with the rest)
into ``target/gds-lib`` next to it, and put on the server's class path; the launcher registers
the procedures its jars list. The jars are never part of graphcap's wheel.

The package, one concept per module: :mod:`~graphcap.localdb.launcher` (building the launcher
with Maven, the Java and Maven it needs), :mod:`~graphcap.localdb.server` (one server process:
start, stop, status, the offline import) and :mod:`~graphcap.localdb.default` (the user's own
server: remembered folder and port, the generated password).

Nothing here imports the ``neo4j`` driver: readiness is the launcher's ``READY`` line.
"""
