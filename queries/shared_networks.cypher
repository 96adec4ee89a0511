// title: Networks and associations where we meet customers and competitors
// description: Networks, associations and coalitions (targets of MEMBER_OF) with who is a
//   member: whether we are, and how many customers, suppliers and competitors are. Where our
//   customers and competitors meet without us is where we lose influence.
// param: min_members int 2 — list networks with at least this many members
// returns: one row per network, those we are not a member of first, then by size.
// columns: id, name, members, we_are_member, customers, suppliers, competitors, member_names
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param min_members => 2
MATCH (m:Stakeholder)-[:MEMBER_OF]->(net:Stakeholder)
WITH net, collect(DISTINCT m) AS members
WHERE size(members) >= $min_members
RETURN net.id AS id, net.name AS name, size(members) AS members,
       any(m IN members WHERE m:Organization) AS we_are_member,
       size([m IN members WHERE m:Customer]) AS customers,
       size([m IN members WHERE m:Supplier]) AS suppliers,
       size([m IN members WHERE m:Competitor]) AS competitors,
       [m IN members | m.name] AS member_names
ORDER BY we_are_member, members DESC, name
