"""Loaders: files in, a validated :class:`graphcap.model.Network` out, or every problem at once.

One adapter per format, chosen by :func:`loader_for` from the path:

=================  =======================================================================
path               loader
=================  =======================================================================
folder, ``.zip``,  :class:`~loaders.csv_files.CsvLoader` (``nodes.csv``, ``edges.csv``,
``.csv``/``.tsv``  ``interactions.csv``)
``.xlsx``          :class:`~loaders.excel.ExcelLoader` (sheets nodes, edges, interactions)
``.graphml``       :class:`~loaders.graphml.GraphMLLoader`
``.gexf``          :class:`~loaders.gexf.GEXFLoader`
``.yaml``/``.yml`` :class:`~loaders.recipe_run.RecipeLoader`: a recipe (raw exports + SQL)
=================  =======================================================================

Every loader has ``load()`` (read, apply the mapping file, validate), ``describe()`` and
``preview(n)``. A mapping file (:mod:`loaders.mapping`) maps CRM/ERP exports; two examples ship
in ``loaders/mappings/``. No loader talks to Neo4j.

>>> from loaders import load_path, MAPPINGS_DIR
>>> result = load_path(MAPPINGS_DIR / "examples" / "sap_business_partner",
...                    mapping=MAPPINGS_DIR / "sap_business_partner.yaml")
>>> result.network.counts
{'nodes': 9, 'edges': 9, 'interactions': 0}
"""

from __future__ import annotations

import tempfile
from collections.abc import Collection
from pathlib import Path, PurePath
from typing import Any

from graphcap.config.limits import Limits
from graphcap.errors import LoaderError
from graphcap.i18n import lazy_gettext as _l
from graphcap.model.schema import DEFAULT_SCHEMA, Schema
from loaders.base import Loader
from loaders.csv_files import CsvLoader
from loaders.excel import ExcelLoader
from loaders.gexf import GEXFLoader
from loaders.graphml import GraphMLLoader
from loaders.mapping import Mapping, load_mapping
from loaders.raw import LoadResult
from loaders.recipe_run import RecipeLoader
from loaders.uploads import save_upload

__all__ = [
    "LOADERS",
    "MAPPINGS_DIR",
    "RECIPES_DIR",
    "CsvLoader",
    "ExcelLoader",
    "GEXFLoader",
    "GraphMLLoader",
    "LoadResult",
    "Loader",
    "Mapping",
    "RecipeLoader",
    "load_bytes",
    "load_mapping",
    "load_path",
    "loader_for",
    "supported_suffixes",
]

#: The registry: every loader class, asked in order by :func:`loader_for`.
LOADERS: tuple[type[Loader], ...] = (
    CsvLoader,
    ExcelLoader,
    GraphMLLoader,
    GEXFLoader,
    RecipeLoader,
)

#: The shipped example mapping files.
MAPPINGS_DIR = Path(__file__).parent / "mappings"
#: The shipped recipes for the raw exports of ``graphcap sample --raw``.
RECIPES_DIR = Path(__file__).parent / "recipes"


def supported_suffixes() -> list[str]:
    return sorted({s for cls in LOADERS for s in cls.suffixes})


def loader_for(
    path: str | Path,
    *,
    mapping: Any = None,
    lenient: bool = False,
    schema: Schema = DEFAULT_SCHEMA,
    encoding: str | None = None,
    limits: Limits | None = None,
    organisation: str | None = None,
    existing: Collection[str] | None = None,
) -> Loader:
    """The loader for ``path`` (by folder or suffix), ready to ``load()``. ``encoding`` names
    the text files' encoding (else it is detected); ``limits`` bound what is read;
    ``organisation`` names the focal organisation of a recipe; ``existing`` holds the ids already
    in the graph for an import of relationships or interactions onto it."""
    path = Path(path)
    options: dict[str, Any] = {
        "mapping": mapping,
        "lenient": lenient,
        "schema": schema,
        "encoding": encoding,
        "limits": limits,
        "existing": existing,
    }
    if path.suffix.lower() in RecipeLoader.suffixes:
        return RecipeLoader(path, organisation=organisation, **options)
    if path.is_dir():
        return CsvLoader(path, **options)
    suffix = path.suffix.lower()
    for cls in LOADERS:
        if suffix in cls.suffixes:
            return cls(path, **options)
    if suffix == ".xls":
        raise LoaderError(
            _l("{file}: old Excel format (.xls); save it as Excel Workbook (.xlsx)", file=path),
            file=str(path),
        )
    if not path.exists():
        raise LoaderError(_l("{file}: no such file or folder", file=path), file=str(path))
    raise LoaderError(
        _l(
            "{file}: unknown format {suffix!r}; graphcap reads a folder or {suffixes}",
            file=path,
            suffix=suffix or _l("(no suffix)"),
            suffixes=", ".join(supported_suffixes()),
        ),
        file=str(path),
    )


def load_path(
    path: str | Path,
    *,
    mapping: str | Path | Mapping | None = None,
    lenient: bool = False,
    schema: Schema = DEFAULT_SCHEMA,
    encoding: str | None = None,
    limits: Limits | None = None,
    organisation: str | None = None,
) -> LoadResult:
    """Load and validate ``path`` (see :func:`loader_for`).

    Raises :class:`graphcap.errors.ValidationError` listing every problem (unless ``lenient``,
    which leaves out the rows with problems and returns them in ``LoadResult.problems``), or
    :class:`graphcap.errors.LoaderError` when a file cannot be read at all.
    """
    return loader_for(
        path,
        mapping=mapping,
        lenient=lenient,
        schema=schema,
        encoding=encoding,
        limits=limits,
        organisation=organisation,
    ).load()


def load_bytes(
    data: bytes,
    filename: str,
    *,
    mapping: str | Path | Mapping | None = None,
    lenient: bool = False,
    schema: Schema = DEFAULT_SCHEMA,
    encoding: str | None = None,
    limits: Limits | None = None,
) -> LoadResult:
    """Load an uploaded file (the app's Import page): ``filename`` chooses the format (``.zip``
    for a set of CSV files). Problems name ``filename``; nothing is kept on disk afterwards."""
    name = PurePath(filename.replace("\\", "/")).name
    if not name or name in (".", ".."):
        raise LoaderError(_l("{name!r} is not a file name", name=filename), file=filename)
    limits = limits if limits is not None else Limits.from_env()
    if mapping is not None and not isinstance(mapping, Mapping):
        mapping = load_mapping(mapping)
    with tempfile.TemporaryDirectory(prefix="graphcap-upload-") as folder:
        path = save_upload(data, name, Path(folder), limits=limits)
        result = load_path(
            path, mapping=mapping, lenient=lenient, schema=schema, encoding=encoding, limits=limits
        )
    result.source = name
    result.network.meta["source"] = name
    return result
