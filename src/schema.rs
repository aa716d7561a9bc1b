// @generated automatically by Diesel CLI.

diesel::table! {
    api_keys (id) {
        id -> Integer,
        name -> Text,
        prefix -> Text,
        secret_hash -> Text,
        scope -> Text,
        partner_id -> Nullable<Integer>,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_log (id) {
        id -> Integer,
        at -> Timestamp,
        key_name -> Text,
        collection -> Text,
        record_id -> Integer,
        action -> Text,
        before -> Nullable<Text>,
        after -> Nullable<Text>,
    }
}

diesel::table! {
    event_partners (event_id, partner_id) {
        event_id -> Integer,
        partner_id -> Integer,
    }
}

diesel::table! {
    event_thematic_areas (event_id, thematic_area_id) {
        event_id -> Integer,
        thematic_area_id -> Integer,
    }
}

diesel::table! {
    events (id) {
        id -> Integer,
        slug -> Text,
        title -> Text,
        kind -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        city -> Nullable<Text>,
        country_code -> Nullable<Text>,
        host_partner_id -> Nullable<Integer>,
        description -> Nullable<Text>,
        url -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    partners (id) {
        id -> Integer,
        slug -> Text,
        name -> Text,
        city -> Text,
        country_code -> Text,
        role -> Text,
        region -> Nullable<Text>,
        population -> Nullable<BigInt>,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        website -> Nullable<Text>,
        description -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    recommendation_partners (recommendation_id, partner_id) {
        recommendation_id -> Integer,
        partner_id -> Integer,
    }
}

diesel::table! {
    recommendation_thematic_areas (recommendation_id, thematic_area_id) {
        recommendation_id -> Integer,
        thematic_area_id -> Integer,
    }
}

diesel::table! {
    recommendations (id) {
        id -> Integer,
        slug -> Text,
        title -> Text,
        body -> Text,
        target_level -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    thematic_areas (id) {
        id -> Integer,
        slug -> Text,
        name -> Text,
        description -> Nullable<Text>,
        position -> Nullable<Integer>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(api_keys -> partners (partner_id));
diesel::joinable!(event_partners -> events (event_id));
diesel::joinable!(event_partners -> partners (partner_id));
diesel::joinable!(event_thematic_areas -> events (event_id));
diesel::joinable!(event_thematic_areas -> thematic_areas (thematic_area_id));
diesel::joinable!(events -> partners (host_partner_id));
diesel::joinable!(recommendation_partners -> partners (partner_id));
diesel::joinable!(recommendation_partners -> recommendations (recommendation_id));
diesel::joinable!(recommendation_thematic_areas -> recommendations (recommendation_id));
diesel::joinable!(recommendation_thematic_areas -> thematic_areas (thematic_area_id));

diesel::allow_tables_to_appear_in_same_query!(
    api_keys,
    audit_log,
    event_partners,
    event_thematic_areas,
    events,
    partners,
    recommendation_partners,
    recommendation_thematic_areas,
    recommendations,
    thematic_areas,
);
