// title: Valuable relationships that are weak
// description: Relationships between our units and stakeholders whose strength is low while
//   much value flows through them. Value is the relationship's annual volume, else the
//   stakeholder's revenue; value at risk = value × (1 − strength). The quality dimensions show
//   what to work on (trust, commitment, responsiveness, mutual interest).
// param: max_strength float 0.4 — a relationship is weak below this strength
// param: min_value float 0.0 — leave out relationships worth less than this
// returns: one row per weak relationship, most value at risk first.
// columns: id, name, type, relationship, value, strength, trust, commitment, responsiveness, mutual_interest, sentiment, value_at_risk
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param max_strength => 0.4
//   :param min_value => 0.0
MATCH (a:Stakeholder)-[r]-(:Organization)
WHERE NOT a:Organization
WITH a, r, coalesce(r.strength, [q IN [[x IN [[r.trust, 0.35], [r.commitment, 0.25], [r.responsiveness, 0.2], [r.mutual_interest, 0.2]] WHERE x[0] IS NOT NULL]] WHERE size(q) > 0 | reduce(s = 0.0, x IN q | s + x[0] * x[1]) / reduce(w = 0.0, x IN q | w + x[1])][0]) AS strength,
     coalesce(r.volume, a.revenue, 0.0) AS value
WHERE strength < $max_strength AND value >= $min_value
RETURN a.id AS id, a.name AS name, a.type AS type, type(r) AS relationship, value,
       round(strength, 3) AS strength, r.trust AS trust, r.commitment AS commitment,
       r.responsiveness AS responsiveness, r.mutual_interest AS mutual_interest,
       r.sentiment AS sentiment, round(value * (1 - strength), 2) AS value_at_risk
ORDER BY value_at_risk DESC, name
