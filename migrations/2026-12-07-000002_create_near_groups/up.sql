-- Near-duplicate groups (docs/insights.md): each image that has at least one near-duplicate at
-- the owner's threshold, with its group, named by the group's smallest image id. Images alone
-- have no row. Recomputed in the background from the hashes in memory; only the rows that
-- changed are written, so a recomputation that changes nothing writes nothing.
CREATE TABLE near_groups (
    image_id INTEGER PRIMARY KEY NOT NULL REFERENCES images (id) ON DELETE CASCADE,
    group_id INTEGER NOT NULL
);
CREATE INDEX near_groups_by_group ON near_groups (group_id, image_id);

-- Statistics can count a group once: a change of groups moves those figures.
CREATE TRIGGER analytics_on_near_group_insert AFTER INSERT ON near_groups BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_near_group_update AFTER UPDATE ON near_groups BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
CREATE TRIGGER analytics_on_near_group_delete AFTER DELETE ON near_groups BEGIN
    UPDATE analytics_version SET version = version + 1 WHERE id = 1;
END;
