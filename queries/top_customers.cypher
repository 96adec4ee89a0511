// title: Top customers by value and strength
// description: Our customers ranked by annual revenue weighted by the strength of their
//   relationship to us, so that big and well-held accounts come first and big but weakly held
//   ones show where to invest. Revenue is the customer's revenue property, else the summed volume
//   of its BUYS_FROM relationships to the organisation.
// param: limit int 10 — how many customers to list
// param: min_strength float 0.0 — leave out customers whose relationship to us is weaker (0–1)
// returns: one row per customer, strongest weighted value first: revenue, lifetime value,
//   strength (mean over its relationships to our units) and weighted_value = revenue × strength.
// columns: id, name, segment, revenue, clv, strength, weighted_value
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param limit => 10
//   :param min_strength => 0.0
MATCH (c:Customer)-[r:BUYS_FROM]->(:Organization)
WITH c, sum(coalesce(r.volume, 0.0)) AS volume, avg(coalesce(r.strength, [q IN [[x IN [[r.trust, 0.35], [r.commitment, 0.25], [r.responsiveness, 0.2], [r.mutual_interest, 0.2]] WHERE x[0] IS NOT NULL]] WHERE size(q) > 0 | reduce(s = 0.0, x IN q | s + x[0] * x[1]) / reduce(w = 0.0, x IN q | w + x[1])][0])) AS strength
WHERE coalesce(strength, 0.0) >= $min_strength
WITH c, strength, coalesce(c.revenue, volume) AS revenue
RETURN c.id AS id, c.name AS name, c.segment AS segment, revenue, c.clv AS clv,
       round(strength, 3) AS strength,
       round(revenue * coalesce(strength, 0.0), 2) AS weighted_value
ORDER BY weighted_value DESC, revenue DESC, name
LIMIT $limit
