// title: How concentrated our revenue is
// description: Our customers by revenue with their share of the total and the cumulative share
//   (the Pareto curve: how few customers make most of the revenue), and the
//   Herfindahl–Hirschman index of the whole customer base (sum of squared shares: 1/n for n
//   equal customers, 1 for a single one; above 0.25 is highly concentrated).
// param: top int 10 — how many of the largest customers to list
// returns: one row per customer among the largest, by rank; hhi and customers (the size of the
//   base) are the same on every row.
// columns: rank, id, name, revenue, share, cumulative_share, customers, hhi
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param top => 10
MATCH (c:Stakeholder)-[r:BUYS_FROM]->(:Organization)
WITH c, sum(coalesce(r.volume, 0.0)) AS volume
WITH c, toFloat(coalesce(c.revenue, volume)) AS revenue
ORDER BY revenue DESC, c.name
WITH collect({id: c.id, name: c.name, revenue: revenue}) AS base, sum(revenue) AS total
WHERE total > 0
UNWIND range(0, size(base) - 1) AS i
WITH base, total, i, base[i] AS row
WHERE i < $top
RETURN i + 1 AS rank, row.id AS id, row.name AS name, row.revenue AS revenue,
       round(row.revenue / total, 4) AS share,
       round(reduce(s = 0.0, x IN base[..i + 1] | s + x.revenue) / total, 4) AS cumulative_share,
       size(base) AS customers,
       round(reduce(h = 0.0, x IN base | h + (x.revenue / total) ^ 2), 4) AS hhi
ORDER BY rank
