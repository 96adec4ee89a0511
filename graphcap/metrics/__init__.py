"""graphcap metrics: pure functions on networkx graphs and pandas frames."""
