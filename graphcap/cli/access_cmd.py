"""``graphcap hash-password``: an argon2id hash for ``[access.users.NAME] password_hash``."""

from __future__ import annotations

import click

from graphcap.access import hash_password as make_hash

__all__ = ["hash_password"]


@click.command(name="hash-password")
@click.password_option("--password", prompt="Password", help="Read from a prompt when not given.")
def hash_password(password: str) -> None:
    """Print an argon2id hash of a password for secrets.toml or graphcap.toml (docs/TEAM.md)."""
    click.echo(make_hash(password))
