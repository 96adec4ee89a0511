// title: Communities and their composition
// description: The groups the network falls into and who is in them. Uses the community
//   found by `graphcap metrics` (property m_community, written back to Neo4j) where present,
//   else groups by stakeholder type. For each group: members by type, revenue, relationships
//   inside the group and ties to other groups (a group with few outside ties is a silo), and its
//   most connected members.
// param: top int 5 — how many of the most connected members to name per group
// returns: one row per community, largest first; internal counts relationships between members,
//   external the relationships from members to stakeholders outside the group.
// columns: community, members, organizations, customers, suppliers, partners, agencies, competitors, revenue, internal, external, most_connected
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param top => 5
MATCH (n:Stakeholder)
WITH n,
     CASE WHEN n.m_community IS NULL THEN 'type: ' + n.type
          ELSE 'community ' + toString(n.m_community) END AS community,
     COUNT { (n)--(:Stakeholder) } AS degree
ORDER BY degree DESC, n.name
WITH community, collect(n) AS group
CALL (community, group) {
  UNWIND group AS a
  OPTIONAL MATCH (a)-[]-(b:Stakeholder)
  WITH b, CASE WHEN b IS NULL THEN null
               WHEN b.m_community IS NULL THEN 'type: ' + b.type
               ELSE 'community ' + toString(b.m_community) END AS other
  RETURN sum(CASE WHEN other = community THEN 1 ELSE 0 END) / 2 AS internal,
         sum(CASE WHEN other <> community THEN 1 ELSE 0 END) AS external
}
RETURN community, size(group) AS members,
       size([m IN group WHERE m:Organization]) AS organizations,
       size([m IN group WHERE m:Customer]) AS customers,
       size([m IN group WHERE m:Supplier]) AS suppliers,
       size([m IN group WHERE m:Partner]) AS partners,
       size([m IN group WHERE m:Agency]) AS agencies,
       size([m IN group WHERE m:Competitor]) AS competitors,
       reduce(total = 0.0, m IN group | total + coalesce(m.revenue, 0.0)) AS revenue,
       internal, external,
       [m IN group | m.name][..$top] AS most_connected
ORDER BY members DESC, community
