// @generated automatically by Diesel CLI.

diesel::table! {
    analytics_cache (key) {
        key -> Text,
        value -> Text,
        data_version -> BigInt,
        computed_at -> Timestamp,
    }
}

diesel::table! {
    analytics_version (id) {
        id -> Integer,
        version -> BigInt,
    }
}

diesel::table! {
    api_tokens (id) {
        id -> Integer,
        user_id -> Integer,
        label -> Text,
        lookup -> Text,
        secret_hash -> Text,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    failure_categories (name) {
        name -> Text,
        label -> Text,
        position -> Integer,
        is_builtin -> Bool,
    }
}

diesel::table! {
    image_variations (image_id, variation_id) {
        image_id -> Integer,
        variation_id -> Integer,
    }
}

diesel::table! {
    image_hashes (image_id) {
        image_id -> Integer,
        file_mtime_ns -> BigInt,
        hash -> Nullable<Binary>,
        failure -> Nullable<Text>,
    }
}

diesel::table! {
    images (id) {
        id -> Integer,
        session_id -> Integer,
        filename -> Text,
        metadata -> Text,
        prompt_id -> Nullable<Integer>,
        negative_prompt_id -> Nullable<Integer>,
        ml_predictions -> Nullable<Text>,
        notes -> Nullable<Text>,
        is_deleted -> Bool,
        format -> Text,
        seed -> Nullable<BigInt>,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        file_size -> BigInt,
        file_mtime_ns -> BigInt,
        broken -> Nullable<Text>,
        listed -> Bool,
        on_disk -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        rater_count -> Integer,
        like_count -> Integer,
        perfect_count -> Integer,
        imperfect_count -> Integer,
        ok_count -> Integer,
        ko_count -> Integer,
    }
}

diesel::table! {
    import_runs (id) {
        id -> Integer,
        kind -> Text,
        folder -> Nullable<Text>,
        started_at -> Timestamp,
        finished_at -> Timestamp,
        elapsed_ms -> BigInt,
        sessions_found -> Integer,
        sessions_new -> Integer,
        sessions_updated -> Integer,
        images_found -> Integer,
        images_new -> Integer,
        images_updated -> Integer,
        broken_files -> Integer,
        manifest_errors -> Integer,
        problems -> Text,
        error -> Nullable<Text>,
        backup -> Nullable<Text>,
        backup_skipped -> Nullable<Text>,
    }
}

diesel::table! {
    judgements (id) {
        id -> Integer,
        image_id -> Integer,
        user_id -> Integer,
        quality -> Nullable<Text>,
        liked -> Bool,
        status -> Nullable<Text>,
        failure_category -> Nullable<Text>,
        failure_notes -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    near_groups (image_id) {
        image_id -> Integer,
        group_id -> Integer,
    }
}

diesel::table! {
    not_duplicates (image_a, image_b) {
        image_a -> Integer,
        image_b -> Integer,
        marked_by -> Nullable<Integer>,
        marked_at -> Timestamp,
    }
}

diesel::table! {
    owner_settings (name) {
        name -> Text,
        value -> Text,
    }
}

diesel::table! {
    predictor_runs (id) {
        id -> Integer,
        trained_at -> Timestamp,
        version -> Integer,
        judgements -> Integer,
        report -> Text,
        model -> Text,
    }
}

diesel::table! {
    prompt_texts (id) {
        id -> Integer,
        hash -> Binary,
        text -> Text,
    }
}

diesel::table! {
    session_stats (session_id) {
        session_id -> Integer,
        image_count -> Integer,
        rated_count -> Integer,
        liked_count -> Integer,
        perfect_count -> Integer,
        ko_count -> Integer,
    }
}

diesel::table! {
    session_tags (session_id, tag) {
        session_id -> Integer,
        tag -> Text,
    }
}

diesel::table! {
    sessions (id) {
        id -> Integer,
        folder_name -> Text,
        name -> Text,
        created_at -> Timestamp,
        is_test -> Bool,
        is_failed -> Bool,
        is_archived -> Bool,
        is_deleted -> Bool,
        is_starred -> Bool,
        display_name -> Nullable<Text>,
        notes -> Nullable<Text>,
        metadata -> Text,
        source -> Text,
        manifest_error -> Nullable<Text>,
        missing_listed -> Text,
        template_name -> Nullable<Text>,
        theme -> Nullable<Text>,
        style -> Nullable<Text>,
        model_name -> Nullable<Text>,
        model_hash -> Nullable<Text>,
        sampler -> Nullable<Text>,
        scheduler -> Nullable<Text>,
        steps -> Nullable<Integer>,
        cfg_scale -> Nullable<Double>,
        width -> Nullable<Integer>,
        height -> Nullable<Integer>,
        images_requested -> Nullable<Integer>,
        source_signature -> Text,
        on_disk -> Bool,
        scanned_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    sessions_version (id) {
        id -> Integer,
        token -> BigInt,
        version -> BigInt,
    }
}

diesel::table! {
    times_to_convert (id) {
        id -> Integer,
    }
}

diesel::table! {
    user_session_stats (user_id, session_id) {
        user_id -> Integer,
        session_id -> Integer,
        rated_count -> Integer,
    }
}

diesel::table! {
    sign_in_links (id) {
        id -> Integer,
        user_id -> Integer,
        secret_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    users (id) {
        id -> Integer,
        name -> Text,
        role -> Text,
        password_hash -> Nullable<Text>,
        is_disabled -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        name_skeleton -> Nullable<Text>,
    }
}

diesel::table! {
    variations (id) {
        id -> Integer,
        placeholder -> Text,
        value -> Text,
    }
}

diesel::table! {
    web_sessions (id_hash) {
        id_hash -> Text,
        user_id -> Integer,
        csrf_token -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        token_id -> Nullable<Integer>,
        user_agent -> Nullable<Text>,
        last_seen_at -> Nullable<Timestamp>,
        address -> Nullable<Text>,
        link_id -> Nullable<Integer>,
    }
}

diesel::joinable!(api_tokens -> users (user_id));
diesel::joinable!(image_variations -> images (image_id));
diesel::joinable!(image_hashes -> images (image_id));
diesel::joinable!(image_variations -> variations (variation_id));
diesel::joinable!(near_groups -> images (image_id));
diesel::joinable!(images -> sessions (session_id));
diesel::joinable!(judgements -> failure_categories (failure_category));
diesel::joinable!(judgements -> images (image_id));
diesel::joinable!(judgements -> users (user_id));
diesel::joinable!(session_stats -> sessions (session_id));
diesel::joinable!(session_tags -> sessions (session_id));
diesel::joinable!(user_session_stats -> sessions (session_id));
diesel::joinable!(user_session_stats -> users (user_id));
diesel::joinable!(sign_in_links -> users (user_id));
diesel::joinable!(web_sessions -> api_tokens (token_id));
diesel::joinable!(web_sessions -> sign_in_links (link_id));
diesel::joinable!(web_sessions -> users (user_id));

diesel::allow_tables_to_appear_in_same_query!(
    analytics_cache,
    analytics_version,
    api_tokens,
    failure_categories,
    image_hashes,
    image_variations,
    images,
    import_runs,
    judgements,
    near_groups,
    not_duplicates,
    owner_settings,
    predictor_runs,
    prompt_texts,
    session_stats,
    session_tags,
    sign_in_links,
    sessions,
    sessions_version,
    times_to_convert,
    user_session_stats,
    users,
    variations,
    web_sessions,
);
