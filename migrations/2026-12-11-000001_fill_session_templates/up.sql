-- Sessions imported before the template was read: their template is the text the manifest's
-- snapshot holds (`resolved_template.prompt`, or `template.prompt`), else a legacy config's
-- base prompt, as the importer now stores it (src/domain/manifest_facts.rs).
UPDATE sessions SET template_name = CASE
    WHEN trim(coalesce(json_extract(metadata, '$.snapshot.resolved_template.prompt'), ''), ' ' || char(9, 10, 13)) <> ''
         AND json_type(metadata, '$.snapshot.resolved_template.prompt') = 'text'
        THEN json_extract(metadata, '$.snapshot.resolved_template.prompt')
    WHEN trim(coalesce(json_extract(metadata, '$.snapshot.template.prompt'), ''), ' ' || char(9, 10, 13)) <> ''
         AND json_type(metadata, '$.snapshot.template.prompt') = 'text'
        THEN json_extract(metadata, '$.snapshot.template.prompt')
    WHEN trim(coalesce(json_extract(metadata, '$.legacy_config.prompt'), ''), ' ' || char(9, 10, 13)) <> ''
         AND json_type(metadata, '$.legacy_config.prompt') = 'text'
        THEN json_extract(metadata, '$.legacy_config.prompt')
END
WHERE template_name IS NULL AND json_valid(metadata);
