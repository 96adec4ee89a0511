// title: Partners that bridge us to otherwise unreachable stakeholders
// description: Partners we have a relationship with, and the stakeholders linked to them that
//   we reach through no one else: not linked to any of our units, and not linked to any other
//   stakeholder that is. Losing such a partner cuts us off from them (a structural hole the
//   partner spans).
// param: show int 10 — how many of the bridged stakeholders to name per partner
// returns: one row per partner that bridges anyone, most bridged first: how many stakeholders
//   it alone connects us to, their types and revenue, and the first names.
// columns: id, name, bridged, bridged_types, revenue_bridged, examples
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param show => 10
MATCH (:Organization)--(p:Partner)
WITH DISTINCT p
MATCH (p)--(x:Stakeholder)
  WHERE NOT x:Organization
    AND NOT EXISTS { (x)--(:Organization) }
    AND NOT EXISTS {
      MATCH (x)--(y:Stakeholder)--(:Organization)
      WHERE y <> p AND NOT y:Organization
    }
WITH p, collect(DISTINCT x) AS bridged
RETURN p.id AS id, p.name AS name, size(bridged) AS bridged,
       reduce(ts = [], x IN bridged | CASE WHEN x.type IN ts THEN ts ELSE ts + x.type END) AS bridged_types,
       reduce(total = 0.0, x IN bridged | total + coalesce(x.revenue, 0.0)) AS revenue_bridged,
       [x IN bridged | x.name][..$show] AS examples
ORDER BY bridged DESC, revenue_bridged DESC, name
