"""Exports: the network and its figures out of graphcap, in the forms reports and tools use.

One module per format — :mod:`~graphcap.export.graphml`, :mod:`~graphcap.export.gexf`,
:mod:`~graphcap.export.tables` (CSV, XLSX, JSON), :mod:`~graphcap.export.image` (PNG, SVG),
:mod:`~graphcap.export.report` (PDF), :mod:`~graphcap.export.html` — and
:mod:`~graphcap.files`, which keeps every file inside the chosen output folder.
"""
