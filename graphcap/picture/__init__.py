"""The network picture without Streamlit: layout, aggregation of large views, and the offline
vis-network HTML. The app (:mod:`graphcap.ui`) and the exports (:mod:`graphcap.export`) both draw
with it, so it sits below both.
"""
