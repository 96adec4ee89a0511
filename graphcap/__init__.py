"""graphcap: see and manage an organisation's relational capital.

Stakeholders (customers, suppliers, partners, agencies, competitors, the focal organisation) are
nodes in Neo4j with typed relationships; networkx computes network and relationship metrics; a
Streamlit app explores the network; analysts query it in Cypher; reports export it.
"""

from graphcap.errors import GraphcapError
from graphcap.model import DEFAULT_SCHEMA, Network, Schema
from graphcap.version import __version__

__all__ = ["DEFAULT_SCHEMA", "GraphcapError", "Network", "Schema", "__version__"]
