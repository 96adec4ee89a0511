// title: Customers held by a single relationship
// description: Customers tied to us by exactly one relationship (one business unit, one
//   account) and reachable through few or no other stakeholders we also deal with. If that one
//   relationship fails, the customer is gone. An indirect route is a stakeholder (not a
//   competitor) linked both to the customer and to one of our units.
// param: max_routes int 0 — list customers with at most this many indirect routes
// returns: one row per such customer, highest revenue first: the unit it is tied to, that
//   relationship's strength and last contact, and the indirect routes (count and names).
// columns: id, name, revenue, via, strength, last_contact, indirect_routes, routes_via
// needs: metrics
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param max_routes => 0
MATCH (c:Customer)-[r]-(o:Organization)
WITH c, collect(r) AS rels, collect(o) AS units
WHERE size(rels) = 1
WITH c, rels[0] AS r, units[0] AS o
OPTIONAL MATCH (c)--(m:Stakeholder)--(:Organization)
  WHERE NOT m:Organization AND NOT m:Competitor AND m <> c
WITH c, r, o, collect(DISTINCT m.name) AS routes
WHERE size(routes) <= $max_routes
RETURN c.id AS id, c.name AS name, c.revenue AS revenue, o.name AS via,
       r.m_strength AS strength, r.last_contact AS last_contact,
       size(routes) AS indirect_routes, routes AS routes_via
ORDER BY coalesce(revenue, 0) DESC, name
