// title: Relationships with no contact for N days
// description: Relationships whose last contact lies more than a number of days back. The
//   last contact is the later of the relationship's last_contact property and the latest
//   logged interaction between the two stakeholders (either direction). Relationships going
//   quiet lose strength first.
// param: days int 180 — no contact for more than this many days
// param: as_of date null — the reference date (null: today)
// param: ours_only bool true — only relationships of our own units
// param: include_unknown bool false — also list relationships with no recorded contact at all
// returns: one row per quiet relationship, longest silence first (unknown contact last):
//   days_since the last contact, strength and annual volume.
// columns: source, type, target, last_contact, days_since, strength, volume
// needs: metrics
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param days => 180
//   :param as_of => null
//   :param ours_only => true
//   :param include_unknown => false
WITH coalesce(date($as_of), date()) AS today
MATCH (a:Stakeholder)-[r]->(b:Stakeholder)
WHERE NOT $ours_only OR a:Organization OR b:Organization
// the latest logged interaction of the pair, looked up from the end with fewer interactions
CALL (a, b) {
  WITH CASE WHEN a:Organization THEN b ELSE a END AS x, CASE WHEN a:Organization THEN a ELSE b END AS y
  OPTIONAL MATCH (x)<-[:FROM|TO]-(i:Interaction)
  WHERE EXISTS { (i)-[:FROM|TO]->(y) }
  RETURN max(i.date) AS logged
}
WITH today, a, r, b,
     CASE WHEN logged IS NOT NULL AND (r.last_contact IS NULL OR logged > r.last_contact)
          THEN logged ELSE r.last_contact END AS last_contact
WHERE (last_contact IS NULL AND $include_unknown)
   OR last_contact < today - duration({days: $days})
RETURN a.name AS source, type(r) AS type, b.name AS target, last_contact,
       CASE WHEN last_contact IS NULL THEN null
            ELSE duration.inDays(last_contact, today).days END AS days_since,
       r.m_strength AS strength, r.volume AS volume
ORDER BY last_contact IS NULL, days_since DESC, volume DESC, source, target
