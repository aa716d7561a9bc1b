// @generated automatically by Diesel CLI.

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

diesel::allow_tables_to_appear_in_same_query!(partners, thematic_areas,);
