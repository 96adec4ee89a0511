// title: The most influential stakeholders
// description: Stakeholders ranked by a network metric written back by `graphcap metrics`
//   (node property m_pagerank, m_betweenness, ... ; see the Metrics page for what each means),
//   with their number of relationships as the tie-breaker and as the fallback where the metric
//   has not been written.
// param: metric string 'm_pagerank' — the metric property to rank by
// param: limit int 20 — how many stakeholders to list
// returns: one row per stakeholder (our own units left out), highest score first; score is
//   null where the metric was not written.
// columns: id, name, type, score, relationships
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param metric => 'm_pagerank'
//   :param limit => 20
MATCH (n:Stakeholder)
WHERE NOT n:Organization
WITH n, n[$metric] AS score, COUNT { (n)--(:Stakeholder) } AS relationships
RETURN n.id AS id, n.name AS name, n.type AS type, score, relationships
ORDER BY coalesce(score, -1.0) DESC, relationships DESC, name
LIMIT $limit
