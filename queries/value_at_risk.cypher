// title: Valuable relationships that are weak
// description: The at-risk radar's first warning sign in Cypher: stakeholders in the top share
//   of their kind of money (revenue, spend or flow, never added) whose relationship with our
//   units is weak (its strongest tie below a strength, or negative: distrust) or who have no
//   direct relationship with us at all. Value, kind and strength are graphcap's own, as
//   `graphcap metrics --write` stored them (m_value_kind, m_value = m_revenue, m_spend or
//   m_flow, m_strength), so with the defaults the list holds exactly the stakeholders the radar
//   flags for it. Value at risk = value × (1 − strength), the whole value for a negative or
//   missing tie. The quality dimensions show what to work on.
// param: max_strength float 0.4 — a relationship is weak below this strength (the radar's weak_strength)
// param: top_share float 0.2 — only the top share of each kind of money (the radar's high_value_top; 1: everyone with money)
// returns: one row per such stakeholder, most value at risk first; relationship and the quality
//   dimensions are those of its strongest tie with our units (null: no direct relationship).
// columns: id, name, type, value_kind, value, relationship, strength, trust, commitment, responsiveness, mutual_interest, sentiment, value_at_risk
// needs: metrics
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param max_strength => 0.4
//   :param top_share => 0.2
MATCH (a:Stakeholder)
WHERE NOT a:Organization AND a.m_value > 0 AND a.m_value_kind IN ['revenue', 'spend', 'flow']
WITH a.m_value_kind AS kind, a ORDER BY a.m_value DESC
WITH kind, collect(a) AS ranked
// the radar's cut: the value of the k-th largest of the kind, k = ceil(top_share × n), at least 1
WITH kind, ranked, toInteger(ceil($top_share * size(ranked) - 1e-9)) AS k
WITH kind, ranked,
     ranked[CASE WHEN k < 1 THEN 0 WHEN k > size(ranked) THEN size(ranked) - 1 ELSE k - 1 END] AS last
UNWIND [x IN ranked WHERE x.m_value >= last.m_value] AS a
OPTIONAL MATCH (a)-[r]-(:Organization)
WITH a, r ORDER BY coalesce(r.m_strength, -2.0) DESC
WITH a, collect(r)[0] AS r
WHERE coalesce(r.m_strength, 0.0) < $max_strength
WITH a, r, a.m_value AS value,
     CASE WHEN r.m_strength > 0 THEN r.m_strength ELSE 0.0 END AS held
RETURN a.id AS id, a.name AS name, a.type AS type, a.m_value_kind AS value_kind, value,
       type(r) AS relationship, round(r.m_strength, 3) AS strength, r.trust AS trust,
       r.commitment AS commitment, r.responsiveness AS responsiveness,
       r.mutual_interest AS mutual_interest, r.sentiment AS sentiment,
       round(value * (1 - held), 2) AS value_at_risk
ORDER BY value_at_risk DESC, name
