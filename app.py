"""graphcap explorer: `streamlit run app.py` (or `graphcap app`, which works from an installed
package). The app itself is :mod:`graphcap.ui.app`; this file only starts it."""

from graphcap.ui.app import main

main()
