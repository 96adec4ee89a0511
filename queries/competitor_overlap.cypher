// title: Competitors that share our customers or suppliers
// description: For each competitor, the stakeholders that buy from both of us and those that
//   supply both of us, with the revenue of the shared customers: where we compete head-on and
//   which suppliers could be squeezed.
// param: min_shared int 1 — list competitors sharing at least this many customers and suppliers together
// returns: one row per competitor, most revenue at stake first; customer_names and
//   supplier_names list the shared stakeholders.
// columns: id, name, shared_customers, shared_suppliers, revenue_at_stake, customer_names, supplier_names
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param min_shared => 1
MATCH (k:Competitor)
OPTIONAL MATCH (c:Stakeholder)-[:BUYS_FROM]->(k)
  WHERE EXISTS { (c)-[:BUYS_FROM]->(:Organization) }
WITH k, collect(DISTINCT c) AS customers
OPTIONAL MATCH (s:Stakeholder)-[:SUPPLIES]->(k)
  WHERE EXISTS { (s)-[:SUPPLIES]->(:Organization) }
WITH k, customers, collect(DISTINCT s) AS suppliers
WHERE size(customers) + size(suppliers) >= $min_shared
RETURN k.id AS id, k.name AS name, size(customers) AS shared_customers,
       size(suppliers) AS shared_suppliers,
       reduce(total = 0.0, c IN customers | total + coalesce(c.revenue, 0.0)) AS revenue_at_stake,
       [c IN customers | c.name] AS customer_names, [s IN suppliers | s.name] AS supplier_names
ORDER BY revenue_at_stake DESC, shared_customers + shared_suppliers DESC, name
