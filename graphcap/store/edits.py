"""Editing stakeholders and relationships one at a time, with an audit trail and undo.

Usage (with a connected :class:`~graphcap.store.Neo4jStore` ``store``)::

    editor = Editor(store, user="alice")
    e = editor.create_stakeholder({"id": "c9", "name": "Kunde 9", "type": "customer"})
    state, version = editor.current(Target.stakeholder("c9", store.schema))
    editor.change_stakeholder("c9", {"satisfaction": 0.8}, version=version)
    editor.undo(e["id"])

- **One transaction per edit**: the change and its event (:mod:`graphcap.store.audit`) commit
  together or not at all; a refused edit changes nothing.
- **Optimistic concurrency**: every item carries ``__gc_version`` (0 before its first edit; an
  import's update counts too). A change says which version it was made on; if the item has moved
  on, :class:`~graphcap.errors.EditConflict` names the other change (who, when, what) and
  nothing is saved.
- **Retire, never delete**: retiring sets ``__gc_retired_at``; retired stakeholders and
  relationships leave every view (:meth:`Neo4jStore.read_network`) but keep their history and
  can be restored. Only :meth:`Neo4jStore.clear` removes data for good.
- **Undo** applies the state before an event as a new event (so an undo can be undone too). Only
  the author may undo an event unless ``others=True`` (the app grants it to admins); an event
  whose item changed again since is refused, naming the later change. Undoing an assessment
  retracts it and recombines the others (any time, no need to undo later changes first).

Values arrive checked by :mod:`loaders.edit_input` (the importers' checks and texts); this
module refuses reserved names and values Neo4j cannot store once more before any write.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, TypeVar

import neo4j
from neo4j import exceptions as nx

from graphcap.errors import EditConflict, EditRefused, GraphcapError
from graphcap.i18n import gettext
from graphcap.model.schema import Schema
from graphcap.store import audit, import_history
from graphcap.store.audit import IMPORT_RUNNING, LOCK_WAIT_S
from graphcap.store.connection import translate
from graphcap.store.purge import PURGE_BATCH, purge_batch
from graphcap.store.targets import RETIRED, Target, assessed_values, check_values

__all__ = ["Editor", "Target"]

T = TypeVar("T")
#: how long a purge (all retired items in one transaction) may take before it is refused (s)
PURGE_TIMEOUT_S = 300.0
_MAX_USER = 200


def conflict(target: Target, tx: Any, mine: int, now: int) -> EditConflict:
    """The refusal of a change made on version ``mine`` of an item now at version ``now``."""
    rec = tx.run(
        "MATCH (e:GraphcapEvent {kind: $kind, key: $key}) RETURN properties(e) AS e "
        "ORDER BY e.seq DESC LIMIT 1",
        kind=target.kind,
        key=target.key,
    ).single()
    other = audit.event_of(rec["e"]) if rec else None
    if other is not None and other["version"] == now:
        by = gettext("changed by {change}").format(change=audit.describe(other))
    else:
        other, by = None, gettext("changed by an import")
    return EditConflict(
        gettext(
            "{label} was {by} after you opened it (you edited version {mine}, it is now version {now}); your change was not saved. Reload it, look at that change and save again."
        ).format(label=target.label(), by=by, mine=mine, now=now),
        other=other,
    )


class Editor:
    """Edits on behalf of ``user`` (named in every event) through a :class:`Neo4jStore`."""

    def __init__(self, store: Any, *, user: str) -> None:
        if not isinstance(user, str) or not user.strip() or len(user) > _MAX_USER:
            raise EditRefused(
                gettext("an edit needs the name of the user who makes it (1-200 characters)")
            )
        self.store = store
        self.user = user.strip()

    @property
    def schema(self) -> Schema:
        return self.store.schema

    # -- transactions ---------------------------------------------------------------------------

    def _session(self) -> Any:
        return self.store.driver.session(database=self.store.database)

    def run(self, work: Callable[[Any], T], doing: str, *, timeout: float = LOCK_WAIT_S) -> T:
        """``work(tx)`` in one write transaction bounded by ``timeout`` seconds (default
        :data:`LOCK_WAIT_S`)."""
        self.store.ensure_audit_schema()
        try:
            with self._session() as session:
                return session.execute_write(neo4j.unit_of_work(timeout=timeout)(work))
        except GraphcapError:
            raise
        except nx.Neo4jError as exc:
            code = exc.code or ""
            if "Timed" in code or "LockClient" in code or "Terminated" in code:
                raise EditRefused(IMPORT_RUNNING) from exc
            raise translate(exc, self.store.settings, doing=doing) from exc
        except (nx.DriverError, OSError) as exc:
            raise translate(exc, self.store.settings, doing=doing) from exc

    def read(self, work: Callable[[Any], T], doing: str) -> T:
        try:
            with self._session() as session:
                return session.execute_read(work)
        except (nx.Neo4jError, nx.DriverError, OSError) as exc:
            raise translate(exc, self.store.settings, doing=doing) from exc

    def apply(
        self,
        tx: Any,
        target: Target,
        action: str,
        make: Callable[[dict | None], dict],
        *,
        version: int | None,
        create: bool = False,
        started: tuple[int, datetime] | None = None,
        **event: Any,
    ) -> dict[str, Any]:
        """In ``tx``: lock (unless ``started`` by :func:`audit.begin` already), read ``target``,
        check its version, write ``make(old)`` and the event."""
        seq, at = started or audit.begin(tx)
        old, now = target.read(tx)
        if create and old is not None:
            raise EditRefused(
                (
                    gettext(
                        "{label} already exists (retired: restore it instead); nothing was changed"
                    )
                    if RETIRED in old
                    else gettext("{label} already exists; nothing was changed")
                ).format(label=target.label())
            )
        if not create and old is None:
            raise EditRefused(
                gettext("{label} does not exist; nothing was changed").format(label=target.label())
            )
        if version is not None and version != now:
            raise conflict(target, tx, version, now)
        new = make(old)
        if RETIRED in new and new[RETIRED] is True:
            new[RETIRED] = at
        target.write(tx, old, new, now + 1)
        return audit.record(
            tx,
            seq=seq,
            at=at,
            who=self.user,
            action=action,
            kind=target.kind,
            key=target.key,
            before=old,
            after=new,
            version=now + 1,
            **event,
        )

    # -- stakeholders -----------------------------------------------------------------------------

    def create_stakeholder(self, fields: Mapping[str, Any]) -> dict[str, Any]:
        """A new stakeholder (``id``, ``name``, ``type`` and any properties)."""
        fields = dict(fields)
        for key in ("id", "name", "type"):
            if not isinstance(fields.get(key), str) or not fields[key].strip():
                raise EditRefused(
                    gettext("a new stakeholder needs {key!r}; nothing was changed").format(key=key)
                )
        check_values({k: v for k, v in fields.items() if k != "id"}, "stakeholder")
        self.schema.label_for(fields["type"])
        target = Target.stakeholder(fields["id"], self.schema)
        new = {k: v for k, v in fields.items() if v is not None}
        return self.run(
            lambda tx: self.apply(tx, target, "create", lambda _: new, version=None, create=True),
            "creating a stakeholder",
        )

    def change_stakeholder(
        self, sid: str, changes: Mapping[str, Any], *, version: int
    ) -> dict[str, Any]:
        """Set (value) or remove (``None``) properties of stakeholder ``sid`` edited at ``version``."""
        check_values(changes, "stakeholder")
        if "type" in changes:
            self.schema.label_for(changes["type"])  # SchemaError before any query
        return self._change(Target.stakeholder(sid, self.schema), changes, version)

    def retire_stakeholder(self, sid: str, *, version: int) -> dict[str, Any]:
        return self._retire(Target.stakeholder(sid, self.schema), version, retire=True)

    def restore_stakeholder(self, sid: str, *, version: int) -> dict[str, Any]:
        return self._retire(Target.stakeholder(sid, self.schema), version, retire=False)

    # -- relationships ------------------------------------------------------------------------------

    def create_relationship(
        self, source: str, rel_type: str, target: str, fields: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """A new relationship ``source -TYPE-> target`` between two active stakeholders."""
        fields = dict(fields or {})
        check_values(fields, "relationship")
        item = Target.relationship(source, rel_type, target, self.schema)
        new = {k: v for k, v in fields.items() if v is not None}

        def work(tx: Any) -> dict[str, Any]:
            ends = tx.run(
                "UNWIND $ids AS i OPTIONAL MATCH (n:Stakeholder {id: i}) "
                "RETURN i, n IS NOT NULL AS found, n.__gc_retired_at IS NOT NULL AS retired",
                ids=[str(source), str(target)],
            ).data()
            for end in ends:
                if not end["found"] or end["retired"]:
                    raise EditRefused(
                        (
                            gettext("{label}: {i!r} is retired; nothing was changed")
                            if end["found"]
                            else gettext("{label}: {i!r} is not a stakeholder; nothing was changed")
                        ).format(label=item.label(), i=end["i"])
                    )
            return self.apply(tx, item, "create", lambda _: new, version=None, create=True)

        return self.run(work, "creating a relationship")

    def change_relationship(
        self, source: str, rel_type: str, target: str, changes: Mapping[str, Any], *, version: int
    ) -> dict[str, Any]:
        check_values(changes, "relationship")
        return self._change(
            Target.relationship(source, rel_type, target, self.schema), changes, version
        )

    def retire_relationship(
        self, source: str, rel_type: str, target: str, *, version: int
    ) -> dict[str, Any]:
        return self._retire(
            Target.relationship(source, rel_type, target, self.schema), version, retire=True
        )

    def restore_relationship(
        self, source: str, rel_type: str, target: str, *, version: int
    ) -> dict[str, Any]:
        return self._retire(
            Target.relationship(source, rel_type, target, self.schema), version, retire=False
        )

    # -- shared -------------------------------------------------------------------------------------

    def _change(self, target: Target, changes: Mapping[str, Any], version: int) -> dict[str, Any]:
        def make(old: dict | None) -> dict:
            assert old is not None
            if RETIRED in old:
                raise EditRefused(
                    gettext("{label} is retired: restore it before changing it").format(
                        label=target.label()
                    )
                )
            new = {**old, **changes}
            return {k: v for k, v in new.items() if v is not None}

        return self.run(
            lambda tx: self.apply(tx, target, "change", make, version=version),
            f"changing {target.label()}",
        )

    def _retire(self, target: Target, version: int, *, retire: bool) -> dict[str, Any]:
        def make(old: dict | None) -> dict:
            assert old is not None
            if (RETIRED in old) == retire:
                raise EditRefused(
                    (
                        gettext("{label} is already retired; nothing was changed")
                        if retire
                        else gettext("{label} is not retired; nothing was changed")
                    ).format(label=target.label())
                )
            new = {k: v for k, v in old.items() if k != RETIRED}
            return {**new, RETIRED: True} if retire else new

        action = "retire" if retire else "restore"
        return self.run(
            lambda tx: self.apply(tx, target, action, make, version=version),
            f"{action} {target.label()}",
        )

    def current(self, target: Target) -> tuple[dict[str, Any] | None, int]:
        """``(state, version)`` of an item now (``(None, 0)`` if it does not exist)."""
        return self.read(target.read, f"reading {target.label()}")

    # -- undo ---------------------------------------------------------------------------------------

    def undo(self, event_id: str, *, others: bool = False) -> dict[str, Any]:
        """Undo event ``event_id``: its item goes back to its state before the event (a creation
        is undone by retiring). ``others``: may undo another user's event (admins)."""

        def work(tx: Any) -> dict[str, Any]:
            started = audit.begin(tx)
            rec = tx.run(
                "MATCH (e:GraphcapEvent {id: $id}) RETURN properties(e) AS e", id=str(event_id)
            ).single()
            if rec is None:
                raise EditRefused(
                    gettext("there is no change with id {event_id!r}").format(
                        event_id=str(event_id)[:80]
                    )
                )
            event = audit.event_of(rec["e"])
            if event["who"] != self.user and not others:
                raise EditRefused(
                    gettext(
                        "that change was made by {who!r}; only an admin can undo another person's change"
                    ).format(who=event["who"])
                )
            done = tx.run(
                "MATCH (u:GraphcapEvent {undoes: $id}) RETURN properties(u) AS u LIMIT 1",
                id=event["id"],
            ).single()
            if done is not None:
                raise EditRefused(
                    gettext("that change was already undone by {change}").format(
                        change=audit.describe(audit.event_of(done["u"]))
                    )
                )
            target = Target.of(event["kind"], event["key"], self.schema)
            if event.get("assessment"):
                # an assessment is retracted (or put back by undoing its undo) and the ratings
                # recombined: no need to undo later changes first
                tx.run(
                    "MATCH (x:Assessment {id: $id}) SET x.retracted = $r",
                    id=event["assessment"],
                    r=event["action"] == "assess",
                ).consume()
                return self.apply(
                    tx,
                    target,
                    "undo",
                    lambda old: {**(old or {}), **assessed_values(tx, target)},
                    version=None,
                    started=started,
                    undoes=event["id"],
                    assessment=event["assessment"],
                )

            def make(old: dict | None) -> dict:
                before = event["before"]
                return dict(before) if before is not None else {**(old or {}), RETIRED: True}

            return self.apply(
                tx,
                target,
                "undo",
                make,
                version=event["version"],
                started=started,
                undoes=event["id"],
            )

        return self.run(work, "undoing a change")

    # -- purge ----------------------------------------------------------------------------------------

    def purge(
        self,
        *,
        admin: bool,
        batch_size: int = PURGE_BATCH,
        on_batch: Callable[[int], None] | None = None,
    ) -> list[dict[str, Any]]:
        """Delete every retired item for good, an admin's explicit act (``admin`` says the
        caller checked the role; otherwise nothing happens): retired stakeholders with all their
        relationships and interactions, retired relationships and retired interactions. In
        transactions of at most ``batch_size`` items (:mod:`graphcap.store.purge`); every item
        deleted gets a ``purge`` event in the same transaction, whose ``before`` is its last
        state, so its history stays and a past state (:mod:`graphcap.store.asof`) still shows
        it. An interrupted purge leaves every item either retired or gone with its event; run
        it again to finish. ``on_batch(n)`` is called with the number purged so far after each
        batch. Returns the events (empty: nothing was retired)."""
        if not admin:
            raise EditRefused(gettext("only an admin may purge retired items; nothing was deleted"))
        if batch_size < 1:
            raise EditRefused(
                gettext("batch_size must be at least 1, got {size}").format(size=batch_size)
            )
        rels = sorted({self.schema.rel_type(t) for t in self.schema.relationship_types})
        events: list[dict[str, Any]] = []
        while True:
            # one batch's work is bounded by batch_size, unlike one edit's: a longer bound
            done = self.run(
                lambda tx: purge_batch(tx, self.schema, rels, self.user, batch_size),
                "purging retired items",
                timeout=PURGE_TIMEOUT_S,
            )
            if not done:
                return events
            events += done
            if on_batch is not None:
                on_batch(len(events))

    # -- history --------------------------------------------------------------------------------------

    def history(self, target: Target) -> list[dict[str, Any]]:
        """Every event of one item, oldest first, with the imports that changed, created or
        deleted it (action ``import``, who ``import``, :mod:`graphcap.store.import_history`)."""

        def work(tx: Any) -> list[dict[str, Any]]:
            events = [
                audit.event_of(r["e"])
                for r in tx.run(
                    "MATCH (e:GraphcapEvent {kind: $kind, key: $key}) RETURN properties(e) AS e ORDER BY e.seq",
                    kind=target.kind,
                    key=target.key,
                )
            ]
            return with_imports(tx, target, events)

        return self.read(work, "reading the history")

    def involving(self, sid: str) -> list[dict[str, Any]]:
        """Every event of stakeholder ``sid`` and of the relationships it is an end of, oldest
        first (with the imports that changed the stakeholder itself)."""
        quoted = json.dumps(str(sid), ensure_ascii=False)
        own = Target.stakeholder(str(sid), self.store.schema)
        return self.read(
            lambda tx: with_imports(
                tx,
                own,
                [
                    audit.event_of(r["e"])
                    for r in tx.run(
                        "MATCH (e:GraphcapEvent) WHERE (e.kind = 'stakeholder' AND e.key = $sid) OR "
                        "(e.kind = 'relationship' AND (e.key STARTS WITH $head OR e.key ENDS WITH $tail)) "
                        "RETURN properties(e) AS e ORDER BY e.seq",
                        sid=str(sid),
                        head="[" + quoted + ",",
                        tail="," + quoted + "]",
                    )
                ],
            ),
            "reading the history",
        )

    def recent(self, *, limit: int = 50, who: str | None = None) -> list[dict[str, Any]]:
        """The newest events of all items (optionally of one user), newest first."""
        return self.read(
            lambda tx: [
                audit.event_of(r["e"])
                for r in tx.run(
                    "MATCH (e:GraphcapEvent) WHERE $who IS NULL OR e.who = $who "
                    "RETURN properties(e) AS e ORDER BY e.seq DESC LIMIT $n",
                    who=who,
                    n=int(limit),
                )
            ],
            "reading the history",
        )

    def state_at(self, target: Target, at: datetime) -> dict[str, Any] | None:
        """The item's state at ``at`` (time-zone aware), rebuilt from its events; ``None`` if it
        did not exist then."""
        events: list[Mapping[str, Any]] = list(self.history(target))
        return audit.state_at(events, at)[1]


def with_imports(tx: Any, target: Target, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``events`` (sorted by ``seq``) with the imports of ``target`` merged in; an import's
    ``after`` is the ``before`` of the next change of the item (its current state if none)."""
    runs = import_history.runs_of(tx, target.kind, target.key)
    if not runs:
        return events
    merged = sorted([*events, *runs], key=lambda e: e["seq"])
    mine = [e for e in merged if e["kind"] == target.kind and e["key"] == target.key]
    current = None
    for n, e in enumerate(mine):
        if e["action"] != "import":
            continue
        if n + 1 < len(mine):
            e["after"] = mine[n + 1]["before"]
        else:
            if current is None:
                current = (target.read(tx)[0],)
            e["after"] = current[0]
        e["changes"] = audit.diff(e["before"], e["after"])
    return merged
