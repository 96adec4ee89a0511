// title: Contracts ending within N days
// description: Relationships whose contract ends within a number of days, soonest first, with
//   what is at stake (annual volume) and how healthy the relationship is (strength, trust, last
//   contact) — the renewal list.
// param: days int 90 — contracts ending within this many days
// param: as_of date null — the reference date (null: today)
// param: include_expired bool false — also list contracts that have already ended
// returns: one row per relationship with a contract end in the window; days_left is negative
//   for expired contracts.
// columns: source, type, target, contract_until, days_left, volume, strength, trust, last_contact
// needs: metrics
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param days => 90
//   :param as_of => null
//   :param include_expired => false
WITH coalesce(date($as_of), date()) AS today
MATCH (a:Stakeholder)-[r]->(b:Stakeholder)
WHERE r.contract_until IS NOT NULL
  AND r.contract_until <= today + duration({days: $days})
  AND ($include_expired OR r.contract_until >= today)
RETURN a.name AS source, type(r) AS type, b.name AS target, r.contract_until AS contract_until,
       duration.inDays(today, r.contract_until).days AS days_left, r.volume AS volume,
       r.m_strength AS strength, r.trust AS trust, r.last_contact AS last_contact
ORDER BY days_left, volume DESC, source, target
