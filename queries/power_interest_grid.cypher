// title: Stakeholder salience: power and interest
// description: The power–interest grid (Mendelow): stakeholders with high power and high
//   interest are managed closely, high power and low interest kept satisfied, low power and high
//   interest kept informed, the rest monitored. Uses the power and interest scores (0–1) of the
//   stakeholders that have both, and shows how strong our relationship with each is.
// param: threshold float 0.5 — where "high" starts on the 0–1 scales
// returns: one row per stakeholder with power and interest, by quadrant then power; strength
//   is the mean strength of its relationships with our units (null: no direct relationship).
// columns: quadrant, id, name, type, power, interest, strength
// needs: metrics
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param threshold => 0.5
MATCH (n:Stakeholder)
WHERE NOT n:Organization AND n.power IS NOT NULL AND n.interest IS NOT NULL
OPTIONAL MATCH (n)-[r]-(:Organization)
WITH n, avg(r.m_strength) AS strength
RETURN CASE WHEN n.power >= $threshold AND n.interest >= $threshold THEN 'manage closely'
            WHEN n.power >= $threshold THEN 'keep satisfied'
            WHEN n.interest >= $threshold THEN 'keep informed'
            ELSE 'monitor' END AS quadrant,
       n.id AS id, n.name AS name, n.type AS type, n.power AS power, n.interest AS interest,
       round(strength, 3) AS strength
ORDER BY quadrant, power DESC, interest DESC, name
