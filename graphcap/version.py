"""graphcap's version, in one place (the package root, snapshots and reports read it here)."""

__version__ = "0.1.0"
