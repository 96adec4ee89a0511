"""Typical measures per pair written in a recipe's SQL (docs/INPUT.md "Measures per pair"),
run through a recipe into the real Neo4j. Expected values are counted by hand from the rows."""

from __future__ import annotations

import pytest

from loaders import load_path

pytestmark = pytest.mark.integration

# K1: 4 deliveries, 3 on time (one a day late); K2: 2 deliveries, 1 on time, 1 still open
# (delivered empty); K3: 1 delivery, late.
DELIVERIES = """order,customer,promised,delivered,score
A1,K1,2024-03-01,2024-02-28,4
A2,K1,2024-03-05,2024-03-05,5
A3,K1,2024-04-01,2024-04-02,2
A4,K1,2024-05-01,2024-04-30,3
B1,K2,2024-03-10,2024-03-09,4
B2,K2,2024-06-10,,
C1,K3,2024-01-15,2024-01-20,1
"""
CUSTOMERS = "id,name\nK1,Müller GmbH\nK2,Dupont SA\nK3,Rossi S.p.A.\n"
RECIPE = """recipe: 1
organisation: {id: ORG, name: Acme AG}
sources:
  customers: {file: customers.csv, key: [id]}
  deliveries: {file: deliveries.csv, key: [order]}
tables:
  nodes: |
    SELECT id, name, 'customer' AS type FROM customers
  edges:
    grain: deliveries
    sql: |
      SELECT customer AS source, (SELECT id FROM focal) AS target, 'BUYS_FROM' AS type,
             count(*) AS interactions,
             round(avg(CAST(delivered <= promised AS INTEGER)), 4) AS on_time_share,
             round(avg(CASE WHEN delivered <= promised THEN 1 ELSE 0 END), 4) AS on_time_share_open_late,
             sum(CASE WHEN delivered > promised THEN 1 ELSE 0 END) AS late_deliveries,
             round(avg(score), 4) AS mean_score,
             min(promised) AS since, max(coalesce(delivered, promised)) AS last_contact
      FROM deliveries GROUP BY customer
"""


def test_share_of_on_time_deliveries_per_pair_reaches_neo4j(tmp_path, store):
    (tmp_path / "deliveries.csv").write_text(DELIVERIES, encoding="utf-8")
    (tmp_path / "customers.csv").write_text(CUSTOMERS, encoding="utf-8")
    (tmp_path / "recipe.yaml").write_text(RECIPE, encoding="utf-8")
    store.import_network(load_path(tmp_path / "recipe.yaml").network)
    with store.driver.session(database=store.database) as session:
        rows = session.run(
            "MATCH (a:Stakeholder)-[r:BUYS_FROM]->(:Stakeholder {id: 'ORG'}) RETURN a.id AS id, "
            "r.on_time_share AS share, r.on_time_share_open_late AS strict, "
            "r.late_deliveries AS late, r.mean_score AS score, r.interactions AS n "
            "ORDER BY id"
        ).data()
        # extra columns are numbers in Neo4j, so Cypher adds them up (issue #11: they were text)
        total = session.run("MATCH ()-[r:BUYS_FROM]->() RETURN sum(r.late_deliveries) AS n")
        late = total.single()["n"]
    assert rows == [
        # K1: 3 of 4 on time; scores 4, 5, 2, 3 -> 3.5
        {"id": "K1", "share": 0.75, "strict": 0.75, "late": 1, "score": 3.5, "n": 4},
        # K2: the open delivery is left out of the share (1 of 1) or counted late (1 of 2)
        {"id": "K2", "share": 1.0, "strict": 0.5, "late": 0, "score": 4.0, "n": 2},
        {"id": "K3", "share": 0.0, "strict": 0.0, "late": 1, "score": 1.0, "n": 1},
    ]
    assert late == 2
