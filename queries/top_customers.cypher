// title: Top customers by value and strength
// description: Our customers ranked by revenue weighted by the strength of their relationship
//   to us, so that big and well-held accounts come first and big but weakly held ones show where
//   to invest. Revenue and strength are graphcap's own, as `graphcap metrics --write` stored them
//   (m_revenue: the customer's revenue property, else its revenue relationships' volume;
//   m_strength: the strength model with the weights of graphcap.toml), so this list agrees with
//   the app and the at-risk radar.
// param: limit int 10 — how many customers to list
// param: min_strength float 0.0 — leave out customers whose relationship to us is weaker (-1 to 1)
// returns: one row per customer, strongest weighted value first: revenue, lifetime value,
//   strength (the strongest of its relationships with our units, as the radar reads it; negative:
//   distrust) and weighted_value = revenue × strength (0 for a negative or missing strength).
// columns: id, name, segment, revenue, clv, strength, weighted_value
// needs: metrics
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param limit => 10
//   :param min_strength => 0.0
MATCH (c:Customer)-[r]-(:Organization)
WITH c, max(r.m_strength) AS strength
WHERE coalesce(strength, 0.0) >= $min_strength AND coalesce(c.m_revenue, 0.0) > 0
WITH c, strength, c.m_revenue AS revenue
RETURN c.id AS id, c.name AS name, c.segment AS segment, revenue, c.clv AS clv,
       round(strength, 3) AS strength,
       round(revenue * CASE WHEN strength > 0 THEN strength ELSE 0.0 END, 2) AS weighted_value
ORDER BY weighted_value DESC, revenue DESC, name
LIMIT $limit
