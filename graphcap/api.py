"""The notebook surface: read a network from wherever it lives, analyse it.

``import graphcap as gc`` gives these functions (see docs/API.md)::

    net = gc.read("exports/")                 # files, a folder, a workbook, GraphML, GEXF
    net = gc.read("exports/", mapping="crm.yaml")   # raw CRM/ERP exports through a mapping
    net = gc.read_neo4j()                     # NEO4J_URI ... or the local `graphcap neo4j start`
    net = gc.read_snapshot("network.gcap")
    a = gc.analyze(net)                       # a.nodes, a.edges, a.rci, a.risks, ...

Everything here only wires the layers together: the loaders validate, the store reads Neo4j, the
snapshot module reads files, :mod:`graphcap.analysis` computes. The project config
(``GRAPHCAP_CONFIG``) supplies the schema when none is given, as it does for the CLI.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from pathlib import Path

from graphcap.analysis import Analysis, analyze
from graphcap.config import load_project_config
from graphcap.config.connection import Neo4jSettings
from graphcap.model import Network
from graphcap.model.schema import Schema
from graphcap.sample import generate_sample, sample_small
from graphcap.snapshot import read_snapshot as _read_snapshot
from graphcap.store import Neo4jStore
from loaders import Mapping, load_path

__all__ = ["Analysis", "analyze", "read", "read_neo4j", "read_sample", "read_snapshot"]

PathLike = str | os.PathLike[str]


def _schema(schema: Schema | None) -> Schema:
    return schema if schema is not None else load_project_config().schema


def read(
    path: PathLike,
    *,
    mapping: PathLike | Mapping | None = None,
    lenient: bool = False,
    schema: Schema | None = None,
) -> Network:
    """Read and validate files into a :class:`Network`, as ``graphcap import`` does.

    ``path`` is a folder (``nodes.csv``, ``edges.csv``, ``interactions.csv``), a ``.zip`` of
    them, an ``.xlsx`` workbook, a ``.graphml`` or ``.gexf`` file. ``mapping`` (a YAML/TOML
    mapping file, or a loaded :class:`loaders.Mapping`) turns raw CRM/ERP exports into that form.
    Every problem is raised at once in a :class:`~graphcap.errors.ValidationError`
    (``.problems``); with ``lenient=True`` the rows with problems are left out instead and listed
    in ``network.meta["problems"]``.
    """
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = Path(mapping)
    result = load_path(Path(path), mapping=mapping, lenient=lenient, schema=_schema(schema))
    network = result.network
    if result.problems:
        network.meta["problems"] = [p.as_dict() for p in result.problems]
    return network


def read_neo4j(
    *,
    uri: str | None = None,
    user: str | None = None,
    password: str | None = None,
    database: str | None = None,
    node_types: Iterable[str] | None = None,
    rel_types: Iterable[str] | None = None,
    include_metrics: bool = False,
    schema: Schema | None = None,
) -> Network:
    """The network stored in Neo4j. Without ``uri``: ``NEO4J_URI``/``NEO4J_USER``/
    ``NEO4J_PASSWORD``/``NEO4J_DATABASE``, else the local server of ``graphcap neo4j start``.
    Raises :class:`~graphcap.errors.ConnectionFailed` or :class:`~graphcap.errors.AuthFailed`."""
    settings = Neo4jSettings.from_env()
    if uri is not None:
        settings = Neo4jSettings(
            uri=uri,
            user=user or "neo4j",
            password=password or "",
            database=database or "neo4j",
            explicit=True,
        )
    elif user is not None or password is not None or database is not None:
        settings = Neo4jSettings(
            uri=settings.uri,
            user=user or settings.user,
            password=settings.password if password is None else password,
            database=database or settings.database,
            explicit=settings.explicit,
        )
    with Neo4jStore(settings, schema=_schema(schema)) as store:
        return store.read_network(
            node_types=node_types, rel_types=rel_types, include_metrics=include_metrics
        )


def read_snapshot(path: PathLike) -> Network:
    """The network stored in a snapshot file (``graphcap snapshot create``, the app's export)."""
    return _read_snapshot(path)


def read_sample(*, small: bool = False, seed: int = 42) -> Network:
    """The sample network the app opens on (a few hundred stakeholders), or with ``small=True`` a
    few dozen for quick experiments. Seeded: the same seed gives the same network."""
    return sample_small(seed=seed) if small else generate_sample(seed=seed)
