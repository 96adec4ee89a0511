// title: Ego network of a stakeholder
// description: A stakeholder and everyone within a number of steps of it, with every
//   relationship among them: the neighbourhood to look at before a meeting or a decision.
//   Steps follow the stakeholder relationship types in either direction (interaction log
//   entries are not steps). Drawn as a network in the app.
// param: stakeholder string null — id or name of the stakeholder (null: our organisation)
// param: depth int 2 — how many steps out (1 to 4)
// returns: one row per relationship among the ego network's stakeholders: names, type,
//   strength, each end's distance (steps) from the ego, and the nodes and relationship for drawing.
// columns: source, type, target, strength, source_steps, target_steps, source_node, relationship, target_node
// needs: metrics
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param stakeholder => null
//   :param depth => 2
MATCH (ego:Stakeholder)
WHERE ego.id = $stakeholder OR ego.name = $stakeholder
   OR ($stakeholder IS NULL AND ego:Organization)
WITH ego ORDER BY ego.id LIMIT 1
// breadth-first, one step per block, so that the cost grows with the neighbourhood only
CALL (ego) {
  OPTIONAL MATCH (ego)-[:BUYS_FROM|SUPPLIES|PARTNERS_WITH|REGULATES|INFLUENCES|SERVES|COMPETES_WITH|MEMBER_OF|REFERS]-(n:Stakeholder)
  WHERE $depth >= 1 AND n <> ego
  RETURN [ego] AS seen0, collect(DISTINCT n) AS ring1
}
CALL (seen0, ring1) {
  UNWIND (CASE WHEN $depth >= 2 THEN ring1 ELSE [] END) AS a
  MATCH (a)-[:BUYS_FROM|SUPPLIES|PARTNERS_WITH|REGULATES|INFLUENCES|SERVES|COMPETES_WITH|MEMBER_OF|REFERS]-(n:Stakeholder)
  WHERE NOT n IN seen0 AND NOT n IN ring1
  RETURN collect(DISTINCT n) AS ring2
}
CALL (seen0, ring1, ring2) {
  UNWIND (CASE WHEN $depth >= 3 THEN ring2 ELSE [] END) AS a
  MATCH (a)-[:BUYS_FROM|SUPPLIES|PARTNERS_WITH|REGULATES|INFLUENCES|SERVES|COMPETES_WITH|MEMBER_OF|REFERS]-(n:Stakeholder)
  WHERE NOT n IN seen0 AND NOT n IN ring1 AND NOT n IN ring2
  RETURN collect(DISTINCT n) AS ring3
}
CALL (seen0, ring1, ring2, ring3) {
  UNWIND (CASE WHEN $depth >= 4 THEN ring3 ELSE [] END) AS a
  MATCH (a)-[:BUYS_FROM|SUPPLIES|PARTNERS_WITH|REGULATES|INFLUENCES|SERVES|COMPETES_WITH|MEMBER_OF|REFERS]-(n:Stakeholder)
  WHERE NOT n IN seen0 AND NOT n IN ring1 AND NOT n IN ring2 AND NOT n IN ring3
  RETURN collect(DISTINCT n) AS ring4
}
WITH [seen0, ring1, ring2, ring3, ring4] AS rings
WITH rings, reduce(all_nodes = [], ring IN rings | all_nodes + ring) AS members
UNWIND members AS a
MATCH (a)-[r:BUYS_FROM|SUPPLIES|PARTNERS_WITH|REGULATES|INFLUENCES|SERVES|COMPETES_WITH|MEMBER_OF|REFERS]->(b:Stakeholder)
WHERE b IN members
RETURN a.name AS source, type(r) AS type, b.name AS target, r.m_strength AS strength,
       [i IN range(0, 4) WHERE a IN rings[i]][0] AS source_steps,
       [i IN range(0, 4) WHERE b IN rings[i]][0] AS target_steps,
       a AS source_node, r AS relationship, b AS target_node
ORDER BY source_steps + target_steps, source, type, target
