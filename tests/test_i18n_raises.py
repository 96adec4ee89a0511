"""Every error graphcap raises on purpose speaks the user's language: an AST scan of graphcap/
and loaders/ fails on any error built from an English string literal or f-string that does not
go through ``gettext``/``_``/``ngettext``.

What counts as an error: every class whose name ends in ``Error`` (``ConfigError``,
``ValueError``, ...) and every class defined in graphcap/ or loaders/ that derives from one
(``ConnectionFailed``, ``QueryRefused``, ``TokenRefused``, ...), wherever it is built (``raise
X(...)``, ``return X(...)``, ``err = X(...)``). The message is the first argument (or
``message=``/``reason=``). Allowed: messages that contain a ``_(...)``/``gettext(...)`` call
(``_("... {x}").format(x=...)``), messages passed on as a variable, and the builtin errors that
only ever mean a programming mistake (:data:`PROGRAMMING_ERRORS`).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

#: Functions whose errors must stay English: ``file -> {function: why}``.
ENGLISH_ONLY = {
    "graphcap/i18n.py": {"catalogue": "a broken catalogue cannot translate its own error"},
    "graphcap/graph/_igraph.py": {"find_spec": "igraph catches it; it never reaches a person"},
    "graphcap/console/library.py": {"shown": "a field name in graphcap's own code is wrong"},
}
#: Builtin errors that only ever report a programming mistake, never shown to a user as advice.
PROGRAMMING_ERRORS = frozenset(
    {"AttributeError", "AssertionError", "NotImplementedError", "KeyError", "StopIteration"}
)
_TRANSLATORS = frozenset(
    {"_", "gettext", "ngettext", "_l", "lazy_gettext", "lazy_ngettext", "lazy_join"}
)


def _sources() -> list[Path]:
    return sorted([*(ROOT / "graphcap").rglob("*.py"), *(ROOT / "loaders").rglob("*.py")])


def _name(func: ast.expr) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def error_classes(trees: list[ast.Module]) -> set[str]:
    """Names of the error classes: ``*Error`` and every class deriving (by name) from one."""
    bases: dict[str, set[str]] = {}
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef):
                bases.setdefault(node.name, set()).update(_name(b) for b in node.bases)
    found = {name for name in bases if name.endswith("Error")}
    grew = True
    while grew:
        more = {n for n, b in bases.items() if n not in found and b & found}
        more |= {
            n for n, b in bases.items() if n not in found and any(x.endswith("Error") for x in b)
        }
        found |= more
        grew = bool(more)
    return found


def _is_text(node: ast.expr) -> bool:
    """A string literal, an f-string, or text built from one by ``+``, ``%`` or ``.format``."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.JoinedStr):
        return True
    if isinstance(node, ast.BinOp):
        return _is_text(node.left) or _is_text(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr in {"format", "join"} and _is_text(node.func.value)
    return False


def _translated(node: ast.expr) -> bool:
    return any(isinstance(n, ast.Call) and _name(n.func) in _TRANSLATORS for n in ast.walk(node))


def untranslated(
    tree: ast.Module, errors: set[str], english_only: frozenset[str] = frozenset()
) -> list[tuple[int, str]]:
    """``(line, error)`` of every error in ``tree`` built from English text not passed through
    gettext (outside the functions named in ``english_only``)."""
    exempt: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name in english_only:
            exempt |= {id(n) for n in ast.walk(node)}
    found = []
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in PROGRAMMING_ERRORS or not (name in errors or name.endswith("Error")):
            continue
        messages = list(node.args[:1])
        messages += [k.value for k in node.keywords if k.arg in {"message", "reason"}]
        if any(_is_text(m) and not _translated(m) for m in messages):
            found.append((node.lineno, name))
    return found


def test_the_scan_finds_english_and_accepts_gettext():
    source = """
class LoginRefused(ConfigError): ...
raise ConfigError("a setting is wrong")
raise ConfigError(f"{x} is wrong")
raise LoginRefused("wrong password " + who)
raise ValueError("not {x}".format(x=1))
err = QueryError(f"bad {q}")
raise ConfigError(_("a setting is wrong"))
raise ConfigError(gettext("{x} is wrong").format(x=x))
raise ConfigError(ngettext("{n} row", "{n} rows", n).format(n=n) + "; " + _("fix it"))
raise ConfigError(message)
raise AttributeError(f"module has no attribute {name!r}")
raise LoginRefused
"""
    tree = ast.parse(source)
    errors = error_classes([tree])
    assert "LoginRefused" in errors
    assert [line for line, _ in untranslated(tree, errors)] == [3, 4, 5, 6, 7]


def test_every_error_message_goes_through_gettext():
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in _sources()}
    errors = error_classes(list(trees.values()))
    assert {"ConfigError", "QueryRefused", "ConnectionFailed", "TokenRefused"} <= errors
    bad = []
    for path, tree in trees.items():
        rel = path.relative_to(ROOT).as_posix()
        english_only = frozenset(ENGLISH_ONLY.get(rel, {}))
        bad += [f"{rel}:{line} {name}" for line, name in untranslated(tree, errors, english_only)]
    assert not bad, "English error messages not passed through gettext:\n" + "\n".join(bad)


#: Store methods whose second argument says what the store is doing ("reading the network"):
#: :func:`graphcap.store.connection.translate` puts it, translated, into its error messages.
_ACTIVITY_TAKERS = frozenset({"_read", "_write", "_auto", "run", "read"})


def _store_activities() -> set[str]:
    found = {"talking to Neo4j"}  # translate()'s default
    for path in sorted((ROOT / "graphcap" / "store").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            given = [k.value for k in node.keywords if k.arg == "doing"]
            if _name(node.func) in _ACTIVITY_TAKERS and len(node.args) >= 2:
                given.append(node.args[1])
            found |= {
                g.value for g in given if isinstance(g, ast.Constant) and isinstance(g.value, str)
            }
    return found


def test_texts_translated_by_lookup_have_german():
    """Texts kept in tables or passed on as values, translated where they are used."""
    from graphcap.console import plan
    from graphcap.i18n import gettext, use_language

    activities = _store_activities()
    assert {"connecting", "reading the network", "importing"} <= activities
    texts = activities | set(plan._REFUSED_BECAUSE.values()) | set(plan._PLAN_TYPES.values())
    with use_language("de"):
        missing = sorted(t for t in texts if gettext(t) == t)
    assert not missing, missing


def test_the_scan_exempts_only_the_named_functions():
    tree = ast.parse(
        'def catalogue():\n    raise ValueError(f"broken {x}")\n'
        'def other():\n    raise ValueError(f"broken {x}")\n'
    )
    assert untranslated(tree, set(), frozenset({"catalogue"})) == [(4, "ValueError")]
