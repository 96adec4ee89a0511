// title: Strongest path to a stakeholder
// description: How to reach a stakeholder through the people we know best: among all routes
//   of up to three steps from one of our units, the one whose relationship strengths multiply
//   to the highest value (a route is as good as the product of its links' strengths, graphcap's
//   own as `graphcap metrics --write` stored them; a route never runs through a negative tie,
//   distrust). Without a target: the best route to every stakeholder we have no direct
//   relationship with.
// param: target string null — id or name of the stakeholder to reach (null: everyone we do not deal with directly)
// param: max_hops int 3 — longest route to consider (1 to 3)
// param: limit int 25 — how many targets to list
// returns: one row per target, strongest route first: path_strength (product of strengths),
//   the weakest link on it, the route as names, and the path itself for drawing.
// columns: target_id, target, path_strength, weakest_link, hops, route, path
// needs: metrics
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param target => null
//   :param max_hops => 3
//   :param limit => 25
MATCH (t:Stakeholder)
WHERE t.id = $target OR t.name = $target
   OR ($target IS NULL AND NOT t:Organization AND NOT EXISTS { (t)--(:Organization) })
// expand from the target (few relationships), not from our units (many)
CALL (t) {
  MATCH p = (t)-[:BUYS_FROM|SUPPLIES|PARTNERS_WITH|REGULATES|INFLUENCES|SERVES|COMPETES_WITH|MEMBER_OF|REFERS*1..3]-(o)
  WHERE o:Organization AND length(p) <= $max_hops
    AND all(i IN range(0, length(p) - 1) WHERE NOT nodes(p)[i] IN nodes(p)[i + 1..])
    AND all(r IN relationships(p) WHERE r.m_strength > 0)
  RETURN p, [r IN relationships(p) | r.m_strength] AS links
}
WITH t, p, links, reduce(s = 1.0, x IN links | s * x) AS score
ORDER BY score DESC, length(p)
WITH t, collect({path: p, links: links, score: score})[0] AS best
RETURN t.id AS target_id, t.name AS target, round(best.score, 4) AS path_strength,
       round(reduce(m = 1.0, x IN best.links | CASE WHEN x < m THEN x ELSE m END), 4) AS weakest_link,
       length(best.path) AS hops, reverse([n IN nodes(best.path) | n.name]) AS route, best.path AS path
ORDER BY path_strength DESC, hops, target
LIMIT $limit
