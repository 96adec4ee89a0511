// title: Agencies that regulate or influence our key customers and suppliers
// description: Our key customers are the largest by revenue, our key suppliers the largest by
//   supply volume. For each agency (regulator, government body, interest group) that regulates
//   or influences one of them: which ones, how, the value exposed, and whether we have a
//   relationship with the agency ourselves (if not, nobody speaks for us there).
// param: top int 10 — how many customers (by revenue) and how many suppliers (by volume) count as key
// returns: one row per agency, most value exposed first; value_exposed sums the revenue of the
//   key customers and the volume of the key suppliers it regulates or influences.
// columns: id, name, how, key_customers, key_suppliers, value_exposed, stakeholders, we_have_contact
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param top => 10
CALL () {
  MATCH (c:Customer)-[r:BUYS_FROM]->(:Organization)
  WITH c, sum(coalesce(r.volume, 0.0)) AS volume
  WITH c, coalesce(c.revenue, volume) AS value
  ORDER BY value DESC, c.name
  LIMIT $top
  RETURN c AS key, value
  UNION
  MATCH (s:Supplier)-[r:SUPPLIES]->(:Organization)
  WITH s, sum(coalesce(r.volume, 0.0)) AS value
  ORDER BY value DESC, s.name
  LIMIT $top
  RETURN s AS key, value
}
MATCH (a:Agency)-[rel:REGULATES|INFLUENCES]->(key)
WITH a, key, value, collect(type(rel)) AS kinds
WITH a, collect(key) AS keys, sum(value) AS value_exposed,
     reduce(all_kinds = [], k IN collect(kinds) | all_kinds + k) AS kinds
RETURN a.id AS id, a.name AS name,
       [k IN ['REGULATES', 'INFLUENCES'] WHERE k IN kinds] AS how,
       size([k IN keys WHERE k:Customer]) AS key_customers,
       size([k IN keys WHERE k:Supplier]) AS key_suppliers,
       value_exposed, [k IN keys | k.name] AS stakeholders,
       EXISTS { (a)--(:Organization) } AS we_have_contact
ORDER BY value_exposed DESC, name
