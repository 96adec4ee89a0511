"""The Streamlit explorer and the network renderer: the only code that imports streamlit/pyvis.

:mod:`graphcap.picture.render` (and :mod:`graphcap.picture.layout`) work without Streamlit, so the HTML
export can draw the same picture; everything else here runs inside ``streamlit run app.py``.
"""
