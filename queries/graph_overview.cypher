// title: What is in the graph
// description: Counts of stakeholders by type, relationships by type and logged interactions,
//   with how many relationships carry a strength and a last-contact date. The first query to
//   run on a new graph: it shows what the other questions can draw on.
// returns: one row per stakeholder type (kind 'stakeholder'), relationship type (kind
//   'relationship') and the interaction log (kind 'interaction'); with_strength and
//   with_last_contact count the relationships that have these properties.
// columns: kind, type, count, with_strength, with_last_contact
CALL () {
  MATCH (n:Stakeholder)
  RETURN 'stakeholder' AS kind, n.type AS type, count(*) AS count,
         null AS with_strength, null AS with_last_contact
  UNION ALL
  MATCH (:Stakeholder)-[r]->(:Stakeholder)
  RETURN 'relationship' AS kind, type(r) AS type, count(*) AS count,
         count(r.strength) AS with_strength, count(r.last_contact) AS with_last_contact
  UNION ALL
  MATCH (i:Interaction)
  RETURN 'interaction' AS kind, 'Interaction' AS type, count(*) AS count,
         null AS with_strength, null AS with_last_contact
}
RETURN kind, type, count, with_strength, with_last_contact
ORDER BY kind DESC, count DESC, type
