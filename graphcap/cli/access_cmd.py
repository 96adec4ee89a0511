"""``graphcap hash-password``: an argon2id hash for ``[access.users.NAME] password_hash``;
``graphcap check-login``: refuse to go on unless the app would require a login (what the
container of docker-compose.yml runs before it serves)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import click

from graphcap.access import hash_password as make_hash
from graphcap.access import load_access
from graphcap.cli.clicktext import HelpCommand
from graphcap.errors import ConfigError
from graphcap.i18n import gettext as _
from graphcap.i18n import ngettext

__all__ = ["check_login", "hash_password"]


@click.command(cls=HelpCommand, name="hash-password")
@click.password_option("--password", prompt="Password", help="Read from a prompt when not given.")
def hash_password(password: str) -> None:
    """Print an argon2id hash of a password for secrets.toml or graphcap.toml (docs/TEAM.md)."""
    click.echo(make_hash(password))


@click.command(cls=HelpCommand, name="check-login")
@click.option(
    "--secrets",
    "secrets_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(".streamlit/secrets.toml"),
    show_default=True,
    help="Streamlit's secrets file the app will read ([auth], [access]).",
)
def check_login(secrets_path: Path) -> None:
    """Exit 0 only if the app requires a login: built-in users (GRAPHCAP_ADMIN_PASSWORD,
    [access.users.NAME]) or OIDC ([auth] and [access.oidc]); otherwise exit 10 (config)."""
    secrets: dict = {}
    if secrets_path.exists():
        try:
            secrets = tomllib.loads(secrets_path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ConfigError(
                _("secrets file {path} is not valid TOML: {problem}").format(
                    path=secrets_path, problem=exc
                )
            ) from exc
    config = load_access(secrets)
    if config.open:
        raise ConfigError(
            _(
                "no login is configured, so the app will not be served: set "
                "GRAPHCAP_ADMIN_PASSWORD, or [access.users.NAME], or OIDC ([auth] and "
                "[access.oidc]) in {path} (docs/TEAM.md)"
            ).format(path=secrets_path)
        )
    oidc = _("yes") if config.oidc is not None else _("no")
    n = len(config.users)
    click.echo(
        ngettext(
            "Login required: {users} built-in user, OIDC: {oidc}.",
            "Login required: {users} built-in users, OIDC: {oidc}.",
            n,
        ).format(users=n, oidc=oidc)
    )
