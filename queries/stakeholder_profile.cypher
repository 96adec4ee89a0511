// title: Everything about one stakeholder's relationships
// description: All relationships of one stakeholder, in both directions, with their quality
//   dimensions, volume and dates: the fact sheet behind a name. Without a stakeholder: our
//   largest customer by revenue.
// param: stakeholder string null — id or name of the stakeholder (null: the largest customer)
// returns: one row per relationship of the stakeholder, strongest first; direction says whether
//   the relationship goes out from it or comes in.
// columns: stakeholder, direction, type, other, other_type, strength, trust, commitment, responsiveness, mutual_interest, volume, since, last_contact, contract_until
// needs: metrics
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param stakeholder => null
MATCH (s:Stakeholder)
WHERE s.id = $stakeholder OR s.name = $stakeholder OR ($stakeholder IS NULL AND s:Customer)
WITH s ORDER BY coalesce(s.revenue, 0) DESC, s.id LIMIT 1
MATCH (s)-[r]-(x:Stakeholder)
RETURN s.name AS stakeholder, CASE WHEN startNode(r) = s THEN 'out' ELSE 'in' END AS direction,
       type(r) AS type, x.name AS other, x.type AS other_type, r.m_strength AS strength,
       r.trust AS trust, r.commitment AS commitment, r.responsiveness AS responsiveness,
       r.mutual_interest AS mutual_interest, r.volume AS volume, r.since AS since,
       r.last_contact AS last_contact, r.contract_until AS contract_until
ORDER BY coalesce(strength, -1) DESC, type, other
