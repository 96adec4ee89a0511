// title: Suppliers we depend on alone, and who else they supply
// description: Supply categories (the supplier's segment) in which exactly one supplier
//   supplies us: a single source. For each, the volume and strength of that relationship, when
//   its contract ends, and which other stakeholders the supplier also supplies, competitors
//   counted apart (they compete with us for the same source).
// param: category string null — only this segment (null: every segment)
// returns: one row per single-source category, largest volume first.
// columns: category, id, name, volume, strength, contract_until, also_supplies_count, also_supplies, competitors_supplied
// needs: metrics
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param category => null
MATCH (s:Supplier)-[:SUPPLIES]->(:Organization)
WITH coalesce(s.segment, 'unspecified') AS category, collect(DISTINCT s) AS suppliers
WHERE size(suppliers) = 1 AND ($category IS NULL OR category = $category)
WITH category, suppliers[0] AS s
MATCH (s)-[r:SUPPLIES]->(:Organization)
WITH category, s, sum(coalesce(r.volume, 0.0)) AS volume, avg(r.m_strength) AS strength,
     min(r.contract_until) AS contract_until
OPTIONAL MATCH (s)-[:SUPPLIES]->(other:Stakeholder)
  WHERE NOT other:Organization
WITH category, s, volume, strength, contract_until, collect(DISTINCT other) AS others
RETURN category, s.id AS id, s.name AS name, volume, round(strength, 3) AS strength,
       contract_until, size(others) AS also_supplies_count,
       [x IN others | x.name] AS also_supplies,
       size([x IN others WHERE x:Competitor]) AS competitors_supplied
ORDER BY volume DESC, name
