// title: Referral chains from a customer
// description: Who a customer recommended us to, and who those recommended in turn
//   (REFERS relationships followed forward). Each referred stakeholder is listed once, with the
//   shortest chain that reaches it. Without a customer: the chains of every stakeholder that
//   refers others but was not referred itself (the roots of referral trees).
// param: customer string null — id or name of the customer the chains start from (null: every root referrer)
// param: max_depth int 4 — longest chain to follow (1 to 6)
// returns: one row per (referrer, referred) pair, by referrer and depth; chain lists the names
//   along the way and path is the chain for drawing.
// columns: referrer, referred_id, referred, referred_type, depth, chain, referred_revenue, path
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param customer => null
//   :param max_depth => 4
MATCH (c:Stakeholder)
WHERE c.id = $customer OR c.name = $customer
   OR ($customer IS NULL AND EXISTS { (c)-[:REFERS]->() } AND NOT EXISTS { ()-[:REFERS]->(c) })
MATCH p = (c)-[:REFERS*1..6]->(x:Stakeholder)
WHERE length(p) <= $max_depth AND x <> c
WITH c, x, p
ORDER BY length(p)
WITH c, x, collect(p)[0] AS p
RETURN c.name AS referrer, x.id AS referred_id, x.name AS referred, x.type AS referred_type,
       length(p) AS depth, [n IN nodes(p) | n.name] AS chain, x.revenue AS referred_revenue,
       p AS path
ORDER BY referrer, depth, referred
