"""The Import page's recipe wizard: raw files in, choices made, a recipe out.

Upload the raw exports; for each file the page shows its columns and first rows and proposes
whether it is master data or transactions (:func:`loaders.recipe_wizard.guess_role`); the person
picks the id, name and type of the master data, the ends, date and value of the transactions,
the focal organisation and how transactions become relationships. "Preview" builds the recipe
(:func:`loaders.recipe_wizard.build_recipe`), runs it with the uploaded files and leaves the
validated result in ``st.session_state["imp_result"]``, where the page's import button finds it;
the recipe is offered for download, to run again with ``graphcap import recipe.yaml``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from graphcap.errors import GraphcapError, ValidationError
from graphcap.i18n import gettext as _
from graphcap.i18n import ngettext
from graphcap.model.schema import DEFAULT_SCHEMA
from graphcap.ui import state
from graphcap.ui.lang import num, table
from loaders import load_path
from loaders.recipe_wizard import (
    FileChoice,
    MasterChoice,
    TransactionChoice,
    WizardChoices,
    build_recipe,
    guess_role,
    peek,
)
from loaders.uploads import safe_upload_name, save_upload

__all__ = ["render_wizard"]

_ROLES = ["master", "transactions", "ignore"]
_DELIMITERS = {"auto": None, ", (comma)": ",", "; (semicolon)": ";", "tab": "\t", "|": "|"}
_FOCAL = "(the focal organisation)"
_NONE = "(none)"


def _option(value: str) -> str:
    """A fixed choice of the wizard (file role, separator, "none") in the current language;
    column names (data) as they are."""
    labels = {
        "master": _("master data"),
        "transactions": _("transactions"),
        "ignore": _("ignore"),
        "auto": _("automatic"),
        ", (comma)": _(", (comma)"),
        "; (semicolon)": _("; (semicolon)"),
        "tab": _("tab"),
        _FOCAL: _("(the focal organisation)"),
        _NONE: _("(none)"),
    }
    return labels.get(value, value)


def _name(upload: Any, k: int) -> str:
    return safe_upload_name(upload.name, fallback=f"upload{k}")


def _file_choices(uploads: list[Any], folder: Path) -> list[tuple[FileChoice, str, list[str]]]:
    """Per file: how to read it, the role chosen, its columns (with a preview shown)."""
    out = []
    for k, upload in enumerate(uploads):
        path = save_upload(upload.getvalue(), upload.name, folder, fallback=f"upload{k}")
        name = path.name
        # an expander's label is markdown: the file name (data) is shown inside, as text
        with st.expander(_("File {n}").format(n=k + 1), expanded=True):
            state.show_text(name, strong=True)
            cols = st.columns(3)
            delim = cols[0].selectbox(
                _("Separator"), list(_DELIMITERS), format_func=_option, key=f"wiz_delim_{k}"
            )
            comma = cols[1].checkbox(_("Decimal comma (1.234,56)"), key=f"wiz_comma_{k}")
            choice = FileChoice(name, delimiter=_DELIMITERS[delim], decimal="," if comma else None)
            try:
                head = peek(path, choice)
            except GraphcapError as exc:
                state.show_message(exc)
                continue
            role_guess = guess_role(head, name)
            role = cols[2].selectbox(
                _("This file holds"),
                _ROLES,
                index=_ROLES.index(role_guess),
                format_func=_option,
                key=f"wiz_role_{k}",
                help=_(
                    "master data: one stakeholder a row; transactions: orders, meetings, "
                    "messages, ratings"
                ),
            )
            st.dataframe(head, hide_index=True, width="stretch")
            out.append((choice, role, [str(c) for c in head.columns]))
    return out


def _master(k: int, choice: FileChoice, columns: list[str]) -> MasterChoice:
    c = st.columns(3)
    id_col = c[0].selectbox(_("Id column"), columns, key=f"wiz_id_{k}")
    name_col = c[1].selectbox(
        _("Name column"), columns, index=min(1, len(columns) - 1), key=f"wiz_name_{k}"
    )
    types = list(DEFAULT_SCHEMA.node_types) + [f"column: {x}" for x in columns]
    from_column = _("column: {name}")
    kind = c[2].selectbox(
        _("Stakeholder type"),
        types,
        index=1,
        format_func=lambda t: from_column.format(name=t[8:]) if t.startswith("column: ") else t,
        key=f"wiz_type_{k}",
    )
    if kind.startswith("column: "):
        return MasterChoice(choice.filename, id_col, name_col, type_column=kind[8:])
    return MasterChoice(choice.filename, id_col, name_col, type_value=kind)


def _transactions(k: int, choice: FileChoice, columns: list[str]) -> TransactionChoice:
    c = st.columns(3)
    partner = c[0].selectbox(_("Stakeholder column"), columns, key=f"wiz_partner_{k}")
    other = c[1].selectbox(
        _("Other end"), [_FOCAL, *columns], format_func=_option, key=f"wiz_other_{k}"
    )
    date = c[2].selectbox(
        _("Date column"), [_NONE, *columns], format_func=_option, key=f"wiz_date_{k}"
    )
    d = st.columns(3)
    value = d[0].selectbox(
        _("Value column (added up)"), [_NONE, *columns], format_func=_option, key=f"wiz_value_{k}"
    )
    rel = d[1].selectbox(
        _("Relationship type"),
        ["auto", *DEFAULT_SCHEMA.rel_types],
        format_func=_option,
        key=f"wiz_rel_{k}",
        help=_(
            "automatic: from the stakeholder's type (customer: BUYS_FROM, supplier: SUPPLIES, ...)"
        ),
    )
    log = d[2].checkbox(_("Rows become the interaction log"), value=True, key=f"wiz_log_{k}")
    return TransactionChoice(
        choice.filename,
        partner,
        None if other == _FOCAL else other,
        None if date == _NONE else date,
        None if value == _NONE else value,
        rel_type=rel,
        log=log,
    )


def render_wizard() -> None:
    """The wizard (inside the Import page's "Raw exports" tab)."""
    uploads = st.file_uploader(
        _("Raw export files (CSV or Excel): masters, orders, activities ..."),
        type=["csv", "tsv", "txt", "xlsx"],
        accept_multiple_files=True,
        key="wiz_files",
    )
    if not uploads:
        st.caption(
            _(
                "Each transaction becomes part of a relationship (sum of value, count, first "
                "and last date) between the stakeholder and the focal organisation."
            )
        )
        return
    with tempfile.TemporaryDirectory(prefix="graphcap-wizard-") as tmp:
        folder = Path(tmp)
        files = _file_choices(uploads, folder)
        masters, transactions = [], []
        for k, (choice, role, columns) in enumerate(files):
            if role == "ignore":
                continue
            state.show_text(f"{choice.filename} ({_option(role)})", strong=True)
            if role == "master":
                masters.append(_master(k, choice, columns))
            else:
                transactions.append(_transactions(k, choice, columns))
        c = st.columns(2)
        org_name = c[0].text_input(_("Focal organisation (name)"), key="wiz_org_name")
        org_id = c[1].text_input(_("Its id (as the transactions write it)"), key="wiz_org_id")
        if not st.button(_("Preview the network"), type="primary", key="wiz_preview"):
            _offer(st.session_state.get("wiz_recipe"))
            return
        if not org_name.strip():
            st.error(
                _(
                    "Name the focal organisation: it is added as a stakeholder and is the other "
                    "end of transactions that have none."
                )
            )
            return
        choices = WizardChoices(
            files=[f for f, role, _cols in files if role != "ignore"],
            masters=masters,
            transactions=transactions,
            organisation_id=org_id.strip() or org_name.strip(),
            organisation_name=org_name.strip(),
        )
        try:
            text = build_recipe(choices)
            (folder / "recipe.yaml").write_text(text, encoding="utf-8")
            st.session_state["imp_result"] = load_path(folder / "recipe.yaml")
            st.session_state["imp_what"] = "recipe.yaml"
        except ValidationError as exc:
            st.session_state.pop("imp_result", None)
            st.error(
                ngettext(
                    "{n} problem in the resulting network; nothing can be imported until it is "
                    "fixed (or change the choices).",
                    "{n} problems in the resulting network; nothing can be imported until they "
                    "are fixed (or change the choices).",
                    len(exc.problems),
                ).format(n=num(len(exc.problems)))
            )
            table(pd.DataFrame([p.shown_dict() for p in exc.problems]), wide=["why"])
            return
        except GraphcapError as exc:
            st.session_state.pop("imp_result", None)
            state.show_message(exc)
            return
    st.session_state["wiz_recipe"] = text
    _offer(text)


def _offer(text: str | None) -> None:
    """The recipe to download and to read."""
    if not text:
        return
    st.download_button(
        _("Save the recipe (recipe.yaml, next to the files)"),
        text,
        file_name="recipe.yaml",
        mime="application/yaml",
        key="wiz_download",
    )
    with st.expander(_("The recipe")):
        st.code(text, language="yaml")
