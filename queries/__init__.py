"""graphcap's Cypher library: one ``.cypher`` file per query, each with a header comment
(title, description, typed parameters with defaults, what the result means).

The files are plain Cypher and work unchanged in cypher-shell and Neo4j Browser; this package
exists only so that an installed graphcap ships them (see ``graphcap.console.library``).
"""

from pathlib import Path

LIBRARY_DIR = Path(__file__).resolve().parent
