"""``graphcap purge --yes``: delete every retired item for good -- an admin's explicit act
(:meth:`graphcap.store.edits.Editor.purge`; every deleted item gets a ``purge`` event).

Who is an admin: with users configured (``[access.users]``, docs/TEAM.md) the ``--user`` must be
one of them with role ``admin`` and give their password (``GRAPHCAP_PASSWORD`` or a hidden
prompt); without users (an open installation, as the app on a laptop) the local user is the
admin, as in the app."""

from __future__ import annotations

import os

import click

from graphcap.access import Limiter, LoginRefused, Role, load_access
from graphcap.cli.clicktext import HelpCommand
from graphcap.cli.edit_cmd import USER, _user, open_editor
from graphcap.cli.output import emit, fmt_of, format_option
from graphcap.errors import EditRefused
from graphcap.i18n import gettext as _
from graphcap.i18n import ngettext

__all__ = ["purge", "purge_allowed"]


def purge_allowed(user: str, password: str | None) -> bool:
    """Whether ``user`` may purge: an admin of the access configuration (password checked), or
    anybody when no users are configured."""
    access = load_access()
    if access.open:
        return True
    if password is None:
        return False
    try:
        return access.check(user, password, Limiter()).role >= Role.admin
    except LoginRefused:
        return False


@click.command(cls=HelpCommand, name="purge")
@click.option("--yes", is_flag=True, help="Really delete every retired item for good.")
@USER
@format_option
def purge(yes: bool, user: str | None, fmt: str, legacy_json: bool) -> None:
    """Delete every retired stakeholder (with its relationships and interactions), retired
    relationship and retired interaction for good; admins only, one audit event per item.

    --format json prints {purged, events} (docs/CLI.md); CSV one row per item deleted."""
    if not yes:
        raise click.UsageError(
            _("purge deletes every retired item for good; add --yes to do it (nothing was deleted)")
        )
    who = _user(user)
    access = load_access()
    password = os.environ.get("GRAPHCAP_PASSWORD")
    if not access.open and password is None:
        password = click.prompt(_("Password of {user}").format(user=who), hide_input=True)
    if not purge_allowed(who, password):
        raise EditRefused(
            _(
                "only an admin may purge retired items ({user} is not one, or the password is wrong); nothing was deleted"
            ).format(user=repr(who))
        )
    store, editor = open_editor(who)
    with store:
        events = editor.purge(admin=True)
    counts: dict[str, int] = {}
    for e in events:
        counts[e["kind"]] = counts.get(e["kind"], 0) + 1
    rows = [{"kind": e["kind"], "key": e["key"], "id": e["id"]} for e in events]
    doc = {"purged": counts, "events": rows}

    def table() -> None:
        if not events:
            click.echo(_("Nothing is retired; nothing was deleted."))
            return
        click.echo(
            ngettext(
                "Deleted {n} retired item for good ({detail}); its history stays.",
                "Deleted {n} retired items for good ({detail}); their history stays.",
                len(events),
            ).format(
                n=len(events),
                detail=", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
            )
        )

    emit(fmt_of(fmt, legacy_json), doc, rows=rows, columns=["kind", "key", "id"], table=table)
