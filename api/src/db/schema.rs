//! The one diesel schema shared by both engines (kept by hand, mirrors `migrations/`).

diesel::table! {
    authorities (id) {
        id -> BigInt,
        parent_id -> Nullable<BigInt>,
        name -> Text,
        level -> Text,
        code -> Nullable<Text>,
        dissolved_on -> Nullable<Date>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    communes (id) {
        id -> BigInt,
        authority_id -> BigInt,
        name -> Text,
        code -> Nullable<Text>,
        timezone -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    units (id) {
        id -> BigInt,
        commune_id -> BigInt,
        name -> Text,
        name_search -> Text,
        kind -> Text,
        code -> Nullable<Text>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    users (id) {
        id -> BigInt,
        username -> Text,
        full_name -> Text,
        full_name_search -> Text,
        phone -> Nullable<Text>,
        password_hash -> Text,
        role -> Text,
        commune_id -> Nullable<BigInt>,
        unit_id -> Nullable<BigInt>,
        authority_id -> Nullable<BigInt>,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        last_login_at -> Nullable<Timestamp>,
        password_changed_at -> Timestamp,
    }
}

diesel::table! {
    sessions (id) {
        id -> Text,
        user_id -> BigInt,
        created_at -> Timestamp,
        last_used_at -> Timestamp,
        expires_at -> Timestamp,
        revoked_at -> Nullable<Timestamp>,
        revoked_reason -> Nullable<Text>,
        ip -> Nullable<Text>,
        user_agent -> Nullable<Text>,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> BigInt,
        session_id -> Text,
        token_hash -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    login_attempts (id) {
        id -> BigInt,
        ip -> Text,
        username -> Text,
        at -> Timestamp,
        success -> Bool,
    }
}

diesel::table! {
    audit_heads (chain_id) {
        chain_id -> BigInt,
        seq -> BigInt,
        hash -> Text,
    }
}

diesel::table! {
    audit_log (id) {
        id -> BigInt,
        chain_id -> BigInt,
        seq -> BigInt,
        commune_id -> Nullable<BigInt>,
        at -> Timestamp,
        user_id -> Nullable<BigInt>,
        username -> Nullable<Text>,
        role -> Nullable<Text>,
        action -> Text,
        entity -> Text,
        entity_id -> Nullable<Text>,
        summary -> Text,
        request_id -> Nullable<Text>,
        ip -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
    }
}

diesel::joinable!(communes -> authorities (authority_id));
diesel::joinable!(units -> communes (commune_id));
diesel::joinable!(users -> units (unit_id));
diesel::joinable!(sessions -> users (user_id));
diesel::joinable!(refresh_tokens -> sessions (session_id));

diesel::allow_tables_to_appear_in_same_query!(
    authorities,
    communes,
    units,
    users,
    sessions,
    refresh_tokens,
    login_attempts,
    audit_heads,
    audit_log,
);
