// title: Relationships that cooled down most between two dates
// description: Compares each stakeholder's interactions with our units in the window before
//   an earlier and before a later date. Activity counts each interaction by its sentiment:
//   (1 + sentiment) / 2, so a positive contact counts 1, a neutral one 0.5, a hostile one 0
//   (missing sentiment counts as neutral). Lists those whose activity fell most.
// param: date_from date null — the earlier date (null: 180 days before date_to)
// param: date_to date null — the later date (null: the latest interaction in the log)
// param: window_days int 90 — activity at a date is what happened in this many days before it
// param: limit int 20 — how many stakeholders to list
// returns: one row per stakeholder whose activity fell, largest fall first: interactions and
//   mean sentiment in both windows, activity in both, and the change (negative).
// columns: id, name, type, interactions_before, interactions_after, sentiment_before, sentiment_after, activity_before, activity_after, change
//
// In cypher-shell or Neo4j Browser, set the parameters first:
//   :param date_from => null
//   :param date_to => null
//   :param window_days => 90
//   :param limit => 20
MATCH (i:Interaction)
WITH coalesce(date($date_to), max(i.date)) AS t2
WITH t2, coalesce(date($date_from), t2 - duration({days: 180})) AS t1,
     duration({days: $window_days}) AS window
MATCH (x:Stakeholder)<-[:FROM|TO]-(i:Interaction)-[:FROM|TO]->(:Organization)
WHERE NOT x:Organization
  AND ((i.date > t1 - window AND i.date <= t1) OR (i.date > t2 - window AND i.date <= t2))
WITH x, t1, t2, window, collect(DISTINCT i) AS logged
WITH x, [d IN logged WHERE d.date > t1 - window AND d.date <= t1] AS before,
        [d IN logged WHERE d.date > t2 - window AND d.date <= t2] AS after
WITH x, before, after,
     reduce(a = 0.0, d IN before | a + (1 + coalesce(d.sentiment, 0.0)) / 2) AS activity_before,
     reduce(a = 0.0, d IN after | a + (1 + coalesce(d.sentiment, 0.0)) / 2) AS activity_after
WHERE activity_after < activity_before
RETURN x.id AS id, x.name AS name, x.type AS type,
       size(before) AS interactions_before, size(after) AS interactions_after,
       CASE size(before) WHEN 0 THEN null
            ELSE round(reduce(s = 0.0, d IN before | s + coalesce(d.sentiment, 0.0)) / size(before), 3) END AS sentiment_before,
       CASE size(after) WHEN 0 THEN null
            ELSE round(reduce(s = 0.0, d IN after | s + coalesce(d.sentiment, 0.0)) / size(after), 3) END AS sentiment_after,
       round(activity_before, 3) AS activity_before, round(activity_after, 3) AS activity_after,
       round(activity_after - activity_before, 3) AS change
ORDER BY change, name
LIMIT $limit
