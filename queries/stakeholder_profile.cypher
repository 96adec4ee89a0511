// title: Everything about one stakeholder's relationships
// description: All relationships of one stakeholder, in both directions, with their quality
//   dimensions, volume and dates: the fact sheet behind a name. Without a stakeholder: our
//   largest customer by revenue.
// param: stakeholder string null — id or name of the stakeholder (null: the largest customer)
// returns: one row per relationship of the stakeholder, strongest first; direction says whether
//   the relationship goes out from it or comes in.
// columns: stakeholder, direction, type, other, other_type, strength, trust, commitment, responsiveness, mutual_interest, volume, since, last_contact, contract_until
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param stakeholder => null
MATCH (s:Stakeholder)
WHERE s.id = $stakeholder OR s.name = $stakeholder OR ($stakeholder IS NULL AND s:Customer)
WITH s ORDER BY coalesce(s.revenue, 0) DESC, s.id LIMIT 1
MATCH (s)-[r]-(x:Stakeholder)
RETURN s.name AS stakeholder, CASE WHEN startNode(r) = s THEN 'out' ELSE 'in' END AS direction,
       type(r) AS type, x.name AS other, x.type AS other_type, coalesce(r.strength, [q IN [[x IN [[r.trust, 0.35], [r.commitment, 0.25], [r.responsiveness, 0.2], [r.mutual_interest, 0.2]] WHERE x[0] IS NOT NULL]] WHERE size(q) > 0 | reduce(s = 0.0, x IN q | s + x[0] * x[1]) / reduce(w = 0.0, x IN q | w + x[1])][0]) AS strength,
       r.trust AS trust, r.commitment AS commitment, r.responsiveness AS responsiveness,
       r.mutual_interest AS mutual_interest, r.volume AS volume, r.since AS since,
       r.last_contact AS last_contact, r.contract_until AS contract_until
ORDER BY coalesce(strength, -1) DESC, type, other
