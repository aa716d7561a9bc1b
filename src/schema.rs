// @generated automatically by Diesel CLI.

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
    event_partners,
    event_thematic_areas,
    events,
    partners,
    recommendation_partners,
    recommendation_thematic_areas,
    recommendations,
    thematic_areas,
);
