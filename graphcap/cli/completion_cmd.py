"""``graphcap completion bash|zsh|fish``: the shell completion script, from click.

Install it once, e.g. for bash ``graphcap completion bash > ~/.local/share/bash-completion/
completions/graphcap``, for zsh ``graphcap completion zsh > "${fpath[1]}/_graphcap"``, for fish
``graphcap completion fish > ~/.config/fish/completions/graphcap.fish`` (docs/CLI.md).
"""

from __future__ import annotations

import click
from click.shell_completion import get_completion_class

from graphcap.cli.clicktext import HelpCommand
from graphcap.i18n import gettext as _

__all__ = ["completion"]


@click.command(cls=HelpCommand, name="completion")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def completion(shell: str) -> None:
    """Print the completion script for SHELL (bash, zsh or fish)."""
    root = click.get_current_context().find_root().command
    cls = get_completion_class(shell)
    if cls is None:  # pragma: no cover - the choice above lists click's shells
        raise click.UsageError(_("no completion for {shell}").format(shell=shell))
    click.echo(cls(root, {}, "graphcap", "_GRAPHCAP_COMPLETE").source())
