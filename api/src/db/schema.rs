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
        kind -> Text,
        onestop_unit_name -> Nullable<Text>,
        democracy_revision -> BigInt,
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

// ---- plans and tasks ----

diesel::table! {
    plans (id) {
        id -> BigInt,
        commune_id -> BigInt,
        number -> Text,
        title -> Text,
        title_search -> Text,
        model_name -> Text,
        year -> Integer,
        issuing_unit_id -> Nullable<BigInt>,
        issued_on -> Nullable<Date>,
        legal_bases -> Text,
        purposes -> Text,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        revision -> BigInt,
    }
}

diesel::table! {
    plan_units (id) {
        id -> BigInt,
        plan_id -> BigInt,
        unit_id -> BigInt,
        position -> Integer,
        role_in_plan -> Text,
        duties -> Text,
    }
}

diesel::table! {
    content_areas (id) {
        id -> BigInt,
        plan_id -> BigInt,
        position -> Integer,
        title -> Text,
        expected_outcome -> Nullable<Text>,
        weight -> Double,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        section -> Text,
    }
}

diesel::table! {
    plan_steps (id) {
        id -> BigInt,
        plan_id -> BigInt,
        position -> Integer,
        title -> Text,
        description -> Text,
        start_date -> Nullable<Date>,
        due_date -> Nullable<Date>,
        status -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    tasks (id) {
        id -> BigInt,
        commune_id -> BigInt,
        plan_id -> BigInt,
        content_area_id -> BigInt,
        step_id -> Nullable<BigInt>,
        position -> Integer,
        title -> Text,
        description -> Text,
        search -> Text,
        lead_unit_id -> BigInt,
        start_date -> Date,
        due_date -> Date,
        weight -> Double,
        status -> Text,
        progress -> Integer,
        reporting_cadence -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        supporting_units -> Text,
        source -> Text,
    }
}

diesel::table! {
    task_units (task_id, unit_id) {
        task_id -> BigInt,
        unit_id -> BigInt,
    }
}

diesel::table! {
    progress_reports (id) {
        id -> BigInt,
        task_id -> BigInt,
        author_id -> BigInt,
        author_name -> Text,
        unit_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        text -> Text,
        progress -> Integer,
    }
}

diesel::table! {
    task_attachments (id) {
        id -> BigInt,
        report_id -> BigInt,
        task_id -> BigInt,
        sha256 -> Text,
        file_name -> Text,
        content_type -> Text,
        size -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    task_comments (id) {
        id -> BigInt,
        task_id -> BigInt,
        author_id -> BigInt,
        author_name -> Text,
        created_at -> Timestamp,
        text -> Text,
    }
}

diesel::joinable!(content_areas -> plans (plan_id));
diesel::joinable!(plan_steps -> plans (plan_id));
diesel::joinable!(plan_units -> plans (plan_id));
diesel::joinable!(tasks -> content_areas (content_area_id));
diesel::joinable!(task_units -> tasks (task_id));
diesel::joinable!(progress_reports -> tasks (task_id));
diesel::joinable!(task_attachments -> progress_reports (report_id));
diesel::joinable!(task_comments -> tasks (task_id));

diesel::allow_tables_to_appear_in_same_query!(
    plans,
    plan_units,
    content_areas,
    plan_steps,
    tasks,
    task_units,
    progress_reports,
    task_attachments,
    task_comments,
);

// ---- calendar and one-stop shop ----

diesel::table! {
    calendar_overrides (id) {
        id -> BigInt,
        commune_id -> Nullable<BigInt>,
        day -> Date,
        kind -> Text,
        name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        /// The province of a provincial override (`commune_id` NULL); both NULL: national.
        authority_id -> Nullable<BigInt>,
        /// The decision an override comes from (national and provincial ones).
        source -> Nullable<Text>,
    }
}

diesel::table! {
    calendar_hours (id) {
        id -> BigInt,
        commune_id -> BigInt,
        effective_from -> Date,
        morning_start -> Integer,
        morning_end -> Integer,
        afternoon_start -> Integer,
        afternoon_end -> Integer,
        created_at -> Timestamp,
    }
}

diesel::table! {
    procedures (id) {
        id -> BigInt,
        commune_id -> BigInt,
        code -> Text,
        name -> Text,
        name_search -> Text,
        field -> Text,
        limit_amount -> Integer,
        limit_unit -> Text,
        cutoff_minutes -> Integer,
        fee_vnd -> Nullable<BigInt>,
        fee_note -> Nullable<Text>,
        online_payment -> Bool,
        result_kind -> Text,
        posted_on -> Nullable<Date>,
        posting_complete -> Bool,
        active -> Bool,
        demo -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    procedure_online_levels (id) {
        id -> BigInt,
        procedure_id -> BigInt,
        level -> Text,
        effective_from -> Date,
        created_at -> Timestamp,
    }
}

diesel::table! {
    dossier_counters (unit_id, day) {
        unit_id -> BigInt,
        day -> Date,
        last_value -> Integer,
    }
}

diesel::table! {
    dossiers (id) {
        id -> BigInt,
        commune_id -> BigInt,
        procedure_id -> BigInt,
        unit_id -> BigInt,
        code -> Text,
        channel -> Integer,
        status -> Integer,
        applicant_name -> Text,
        applicant_search -> Text,
        applicant_phone -> Text,
        phone_digits -> Text,
        applicant_id_number -> Text,
        applicant_address -> Text,
        received_at -> Timestamp,
        appointed_at -> Timestamp,
        deadline_at -> Timestamp,
        due_at -> Timestamp,
        paused_since -> Nullable<Timestamp>,
        finished_at -> Nullable<Timestamp>,
        returned_at -> Nullable<Timestamp>,
        supplement_requests -> Integer,
        extended -> Bool,
        timeliness -> Nullable<Text>,
        paid_online -> Bool,
        digitised -> Bool,
        electronic_result -> Bool,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        processing_minutes -> Nullable<Integer>,
        source -> Text,
        from_data_store -> Bool,
        limit_amount -> Nullable<Integer>,
        limit_unit -> Nullable<Text>,
        cutoff_minutes -> Nullable<Integer>,
        apology_by -> Nullable<Timestamp>,
        apology_timely -> Nullable<Bool>,
    }
}

diesel::table! {
    counter_records (id) {
        id -> BigInt,
        commune_id -> BigInt,
        unit_id -> BigInt,
        procedure_id -> BigInt,
        kind -> Text,
        channel -> Integer,
        applicant_name -> Text,
        applicant_phone -> Text,
        applicant_address -> Text,
        reason -> Text,
        at -> Timestamp,
        user_id -> Nullable<BigInt>,
        user_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    dossier_events (id) {
        id -> BigInt,
        dossier_id -> BigInt,
        action -> Text,
        from_status -> Nullable<Integer>,
        to_status -> Integer,
        at -> Timestamp,
        user_id -> Nullable<BigInt>,
        user_name -> Text,
        unit_id -> Nullable<BigInt>,
        unit_name -> Nullable<Text>,
        note -> Nullable<Text>,
        new_due_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    public_lookups (id) {
        id -> BigInt,
        ip -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    onestop_targets (commune_id, year) {
        commune_id -> BigInt,
        year -> Integer,
        online_share -> Double,
        full_share -> Nullable<Double>,
        note -> Nullable<Text>,
        updated_by -> Nullable<BigInt>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    index766_params (id) {
        id -> BigInt,
        code -> Text,
        effective_from -> Date,
        name_vi -> Text,
        name_en -> Text,
        max_score -> Double,
        params -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(procedure_online_levels -> procedures (procedure_id));
diesel::joinable!(dossiers -> procedures (procedure_id));
diesel::joinable!(dossier_events -> dossiers (dossier_id));
diesel::joinable!(counter_records -> procedures (procedure_id));

diesel::allow_tables_to_appear_in_same_query!(
    calendar_overrides,
    counter_records,
    calendar_hours,
    procedures,
    procedure_online_levels,
    dossier_counters,
    dossiers,
    dossier_events,
    public_lookups,
    onestop_targets,
    index766_params,
);
// An intake reads its procedure and the staff member's unit in one statement.
diesel::allow_tables_to_appear_in_same_query!(procedures, units);

// ---- calendar rules (holidays as data) ----

diesel::table! {
    calendar_holiday_rules (id) {
        id -> BigInt,
        name -> Text,
        kind -> Text,
        month -> Integer,
        day -> Integer,
        length -> Integer,
        valid_from -> Date,
        valid_to -> Nullable<Date>,
        source -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    calendar_tet_decisions (year) {
        year -> Integer,
        days_before -> Integer,
        source -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(calendar_holiday_rules, calendar_tet_decisions);

// Auth hardening: lookup locks and tokens, TOTP MFA, the commune's security settings.
diesel::table! {
    lookup_failures (id) {
        id -> BigInt,
        code -> Text,
        client -> Text,
        at -> Timestamp,
    }
}

diesel::table! {
    dossier_lookup_tokens (dossier_id) {
        dossier_id -> BigInt,
        token -> Text,
    }
}

diesel::table! {
    mfa_secrets (user_id) {
        user_id -> BigInt,
        secret -> Text,
        confirmed_at -> Nullable<Timestamp>,
        last_step -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    mfa_recovery_codes (id) {
        id -> BigInt,
        user_id -> BigInt,
        code_hash -> Text,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    mfa_challenges (id) {
        id -> BigInt,
        token_hash -> Text,
        user_id -> BigInt,
        purpose -> Text,
        created_at -> Timestamp,
        expires_at -> Timestamp,
        failures -> Integer,
        used_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    commune_security (commune_id) {
        commune_id -> BigInt,
        mfa_required -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(mfa_secrets -> users (user_id));
diesel::joinable!(mfa_challenges -> users (user_id));
diesel::allow_tables_to_appear_in_same_query!(mfa_secrets, mfa_challenges, users);

// Idempotency keys of field writes (`db::idempotency`).
diesel::table! {
    idempotency_keys (id) {
        id -> BigInt,
        user_id -> BigInt,
        idem_key -> Text,
        request -> Text,
        state -> Text,
        status -> Nullable<Integer>,
        body -> Nullable<Text>,
        created_at -> Timestamp,
        completed_at -> Nullable<Timestamp>,
    }
}
// ---- integration: keys for systems ----

diesel::table! {
    api_keys (id) {
        id -> BigInt,
        commune_id -> Nullable<BigInt>,
        authority_id -> Nullable<BigInt>,
        created_by -> BigInt,
        name -> Text,
        owner -> Text,
        kind -> Text,
        prefix -> Text,
        secret_hash -> Text,
        scopes -> Text,
        ip_allow -> Text,
        rate_per_minute -> Integer,
        expires_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
        replaced_by -> Nullable<BigInt>,
        last_used_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    api_key_usage (key_id, day, endpoint) {
        key_id -> BigInt,
        day -> Date,
        endpoint -> Text,
        calls -> BigInt,
    }
}

diesel::table! {
    sandbox_communes (commune_id) {
        commune_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(api_keys -> users (created_by));
diesel::joinable!(api_key_usage -> api_keys (key_id));
diesel::allow_tables_to_appear_in_same_query!(api_keys, api_key_usage, sandbox_communes, users);

// ---- grassroots democracy: disclosures ----

diesel::table! {
    disclosure_items (id) {
        id -> BigInt,
        commune_id -> Nullable<BigInt>,
        code -> Text,
        name -> Text,
        legal_basis -> Text,
        min_posting_days -> Nullable<Integer>,
        periodicity -> Text,
        position -> Integer,
        active -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        due_from -> Text,
    }
}

diesel::table! {
    disclosures (id) {
        id -> BigInt,
        commune_id -> BigInt,
        item_id -> BigInt,
        title -> Text,
        title_search -> Text,
        content -> Text,
        channels -> Text,
        other_channel -> Nullable<Text>,
        for_comment -> Bool,
        period -> Nullable<Text>,
        posted_from -> Date,
        posted_to -> Date,
        taken_down_on -> Nullable<Date>,
        loudspeaker_days -> Nullable<Integer>,
        evidence_note -> Text,
        responsible_unit_id -> Nullable<BigInt>,
        responsible_name -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    disclosure_villages (disclosure_id, unit_id) {
        disclosure_id -> BigInt,
        unit_id -> BigInt,
    }
}

diesel::table! {
    disclosure_relays (id) {
        id -> BigInt,
        disclosure_id -> BigInt,
        unit_id -> BigInt,
        relayed_on -> Date,
        note -> Text,
        author_id -> BigInt,
        author_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    democracy_files (id) {
        id -> BigInt,
        commune_id -> BigInt,
        owner_kind -> Text,
        owner_id -> BigInt,
        sha256 -> Text,
        file_name -> Text,
        content_type -> Text,
        size -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::table! {
    democracy_settings (commune_id) {
        commune_id -> BigInt,
        relay_within_days -> Integer,
        periodic_grace_days -> Integer,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(disclosures -> disclosure_items (item_id));
diesel::joinable!(disclosure_villages -> disclosures (disclosure_id));
diesel::joinable!(disclosure_relays -> disclosures (disclosure_id));

diesel::allow_tables_to_appear_in_same_query!(
    disclosure_items,
    disclosures,
    disclosure_villages,
    disclosure_relays,
    democracy_files,
    democracy_settings,
);

// ---- grassroots democracy: dialogues and commitments ----

diesel::table! {
    dialogues (id) {
        id -> BigInt,
        commune_id -> BigInt,
        held_on -> Date,
        place -> Text,
        leaders -> Text,
        participants -> Integer,
        topics -> Text,
        topics_search -> Text,
        minutes -> Text,
        issues -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    dialogue_villages (dialogue_id, unit_id) {
        dialogue_id -> BigInt,
        unit_id -> BigInt,
    }
}

diesel::table! {
    commitments (id) {
        id -> BigInt,
        commune_id -> BigInt,
        dialogue_id -> BigInt,
        text -> Text,
        owner_unit_id -> BigInt,
        due_on -> Date,
        status -> Text,
        done_on -> Nullable<Date>,
        task_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    commitment_reports (id) {
        id -> BigInt,
        commitment_id -> BigInt,
        author_id -> BigInt,
        author_name -> Text,
        text -> Text,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::joinable!(commitments -> dialogues (dialogue_id));
diesel::joinable!(commitment_reports -> commitments (commitment_id));
diesel::joinable!(dialogue_villages -> dialogues (dialogue_id));

diesel::allow_tables_to_appear_in_same_query!(dialogues, dialogue_villages, commitments, commitment_reports);

// Citizen reception and petitions.
diesel::table! {
    petition_clock_rules (id) {
        id -> BigInt,
        kind -> Text,
        clock -> Text,
        amount -> Integer,
        unit -> Text,
        effective_from -> Date,
        source -> Text,
    }
}

diesel::table! {
    petition_commune_settings (commune_id) {
        commune_id -> BigInt,
        remote_area -> Bool,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    user_chairman_flags (user_id) {
        user_id -> BigInt,
        commune_id -> BigInt,
        set_at -> Timestamp,
    }
}

diesel::table! {
    reception_sessions (id) {
        id -> BigInt,
        commune_id -> BigInt,
        kind -> Text,
        starts_at -> Timestamp,
        ends_at -> Nullable<Timestamp>,
        place -> Text,
        leader_name -> Text,
        leader_title -> Text,
        delegated -> Bool,
        status -> Text,
        note -> Nullable<Text>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    petitions (id) {
        id -> BigInt,
        commune_id -> BigInt,
        code -> Text,
        kind -> Text,
        channel -> Text,
        status -> Text,
        subject -> Text,
        content -> Text,
        search -> Text,
        petitioner_name -> Nullable<Text>,
        phone_digits -> Text,
        village_unit_id -> Nullable<BigInt>,
        submitted_by -> Nullable<BigInt>,
        dossier_id -> Nullable<BigInt>,
        visit_id -> Nullable<BigInt>,
        complexity -> Integer,
        received_at -> Timestamp,
        accepted_at -> Nullable<Timestamp>,
        refusal_reason -> Nullable<Text>,
        forwarded_to -> Nullable<Text>,
        handler_id -> Nullable<BigInt>,
        handler_name -> Nullable<Text>,
        outcome -> Nullable<Text>,
        conclusion -> Nullable<Text>,
        document_ref -> Nullable<Text>,
        concluded_at -> Nullable<Timestamp>,
        published_answer -> Nullable<Text>,
        answer_public -> Bool,
        published_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
        paused_since -> Nullable<Timestamp>,
        due_at -> Nullable<Timestamp>,
        due_clock -> Nullable<Text>,
        on_time -> Nullable<Bool>,
        rating -> Nullable<Text>,
        repeat_of -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    petition_events (id) {
        id -> BigInt,
        petition_id -> BigInt,
        action -> Text,
        from_status -> Nullable<Text>,
        to_status -> Text,
        at -> Timestamp,
        actor_id -> Nullable<BigInt>,
        actor_name -> Text,
        note -> Nullable<Text>,
        decision_date -> Nullable<Date>,
        days -> Nullable<Integer>,
    }
}

diesel::table! {
    petition_identities (petition_id) {
        petition_id -> BigInt,
        key_id -> Text,
        sealed -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    reception_visits (id) {
        id -> BigInt,
        session_id -> BigInt,
        commune_id -> BigInt,
        at -> Timestamp,
        receiver_name -> Text,
        citizen_names -> Text,
        group_size -> Integer,
        content -> Text,
        classification -> Text,
        handling -> Text,
        forwarded_to -> Nullable<Text>,
        petition_id -> Nullable<BigInt>,
        created_at -> Timestamp,
    }
}

diesel::joinable!(petition_events -> petitions (petition_id));
diesel::joinable!(reception_visits -> reception_sessions (session_id));
diesel::allow_tables_to_appear_in_same_query!(
    petitions,
    petition_events,
    petition_identities,
    reception_sessions,
    reception_visits,
    user_chairman_flags
);

// ---- surveys ----

diesel::table! {
    survey_forms (id) {
        id -> BigInt,
        commune_id -> Nullable<BigInt>,
        code -> Nullable<Text>,
        title -> Text,
        description -> Text,
        current_version -> Integer,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    survey_form_versions (id) {
        id -> BigInt,
        form_id -> BigInt,
        version -> Integer,
        questions -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    surveys (id) {
        id -> BigInt,
        commune_id -> BigInt,
        form_id -> BigInt,
        title -> Text,
        starts_on -> Date,
        ends_on -> Nullable<Date>,
        target -> Text,
        target_ref -> Nullable<Text>,
        channels -> Text,
        per_dossier -> Bool,
        public_token -> Text,
        board_target -> Nullable<Double>,
        created_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    survey_responses (id) {
        id -> BigInt,
        survey_id -> BigInt,
        commune_id -> BigInt,
        form_version_id -> BigInt,
        channel -> Text,
        dossier_id -> Nullable<BigInt>,
        client_id -> Nullable<Text>,
        procedure_id -> Nullable<BigInt>,
        field -> Nullable<Text>,
        unit_id -> Nullable<BigInt>,
        timeliness -> Nullable<Text>,
        officer_id -> Nullable<BigInt>,
        village_id -> Nullable<BigInt>,
        answered_at -> Timestamp,
        month -> Text,
        overall -> Nullable<Integer>,
        likert_n -> Integer,
        likert_sum -> Integer,
        likert_satisfied -> Integer,
        duplicate -> Bool,
        client_key -> Nullable<Text>,
        device -> Nullable<Text>,
        entered_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    survey_answers (id) {
        id -> BigInt,
        response_id -> BigInt,
        survey_id -> BigInt,
        answered_at -> Timestamp,
        question_id -> Text,
        value_int -> Nullable<Integer>,
        option_id -> Nullable<Text>,
        free_text -> Nullable<Text>,
    }
}

diesel::table! {
    survey_tallies (id) {
        id -> BigInt,
        survey_id -> BigInt,
        commune_id -> BigInt,
        form_version_id -> BigInt,
        forms -> Integer,
        counts -> Text,
        collected_on -> Date,
        village_id -> Nullable<BigInt>,
        note -> Text,
        likert_n -> Integer,
        likert_sum -> Integer,
        likert_satisfied -> Integer,
        entered_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    survey_dossier_tokens (dossier_id) {
        dossier_id -> BigInt,
        token -> Text,
    }
}

diesel::joinable!(survey_form_versions -> survey_forms (form_id));
diesel::joinable!(survey_answers -> survey_responses (response_id));
diesel::allow_tables_to_appear_in_same_query!(
    survey_forms,
    survey_form_versions,
    surveys,
    survey_responses,
    survey_answers,
    survey_tallies,
    survey_dossier_tokens,
    dossiers,
);

// Petition photos (citizens' /phan-anh uploads).
diesel::table! {
    petition_photos (id) {
        id -> BigInt,
        petition_id -> BigInt,
        sha256 -> Text,
        file_name -> Text,
        content_type -> Text,
        size -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(petition_photos -> petitions (petition_id));
diesel::allow_tables_to_appear_in_same_query!(petition_photos, petitions,);

// ---- surveys: pre-aggregated counts (2026-12-03-000701) ----

diesel::table! {
    survey_answer_counts (survey_id, day, question_id, answer) {
        survey_id -> BigInt,
        day -> Date,
        question_id -> Text,
        answer -> Text,
        n -> Integer,
    }
}

diesel::table! {
    survey_group_counts (survey_id, day, dim, key) {
        survey_id -> BigInt,
        day -> Date,
        dim -> Text,
        key -> Text,
        responses -> Integer,
        duplicates -> Integer,
        likert_n -> Integer,
        likert_sum -> Integer,
        likert_satisfied -> Integer,
    }
}

diesel::allow_tables_to_appear_in_same_query!(survey_answer_counts, survey_group_counts, surveys);

// ---- roll-ups of the dossiers for the indicators (docs/rollups.md) ----

diesel::table! {
    dossier_rollups (commune_id, grain, day, procedure_id, status) {
        commune_id -> BigInt,
        grain -> Integer,
        day -> Date,
        procedure_id -> BigInt,
        status -> Integer,
        received -> BigInt,
        online -> BigInt,
        postal -> BigInt,
        paid_online -> BigInt,
        digitised -> BigInt,
        from_data_store -> BigInt,
        ended -> BigInt,
        early -> BigInt,
        on_time -> BigInt,
        late -> BigInt,
        electronic_result -> BigInt,
        late_without_apology -> BigInt,
        returned -> BigInt,
        open_delta -> BigInt,
        overdue_delta -> BigInt,
    }
}

diesel::table! {
    dossier_rollup_histograms (commune_id, grain, day, procedure_id) {
        commune_id -> BigInt,
        grain -> Integer,
        day -> Date,
        procedure_id -> BigInt,
        hist -> Binary,
    }
}

diesel::allow_tables_to_appear_in_same_query!(dossier_rollups, dossier_rollup_histograms, dossiers);

// ---- evaluation (docs/evaluation.md) ----

diesel::table! {
    criteria_sets (id) {
        id -> BigInt,
        commune_id -> BigInt,
        year -> Integer,
        version -> Integer,
        name -> Text,
        criteria -> Text,
        thresholds -> Text,
        note -> Text,
        created_by_name -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    evaluations (id) {
        id -> BigInt,
        commune_id -> BigInt,
        plan_id -> BigInt,
        year -> Integer,
        version -> Integer,
        criteria_set_id -> BigInt,
        status -> Text,
        reason -> Text,
        number -> Text,
        judged -> Text,
        sections -> Text,
        snapshot -> Nullable<Text>,
        previous_id -> Nullable<BigInt>,
        created_by_name -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        published_by -> Nullable<BigInt>,
        published_by_name -> Nullable<Text>,
        published_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(evaluations -> criteria_sets (criteria_set_id));
diesel::allow_tables_to_appear_in_same_query!(criteria_sets, evaluations);

// ---- grassroots democracy: activities, coordination meetings, community boards ----

diesel::table! {
    activities (id) {
        id -> BigInt,
        commune_id -> BigInt,
        kind -> Text,
        content_area_id -> Nullable<BigInt>,
        held_on -> Date,
        place -> Text,
        channel -> Text,
        participants -> Integer,
        groups_reached -> Text,
        title -> Text,
        title_search -> Text,
        summary -> Text,
        task_id -> Nullable<BigInt>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    activity_units (activity_id, unit_id) {
        activity_id -> BigInt,
        unit_id -> BigInt,
    }
}

diesel::table! {
    coordination_meetings (id) {
        id -> BigInt,
        commune_id -> BigInt,
        held_on -> Date,
        place -> Text,
        chaired_by -> Text,
        agenda -> Text,
        agenda_search -> Text,
        minutes -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    meeting_units (meeting_id, unit_id) {
        meeting_id -> BigInt,
        unit_id -> BigInt,
        attendees -> Integer,
    }
}

diesel::table! {
    meeting_decisions (id) {
        id -> BigInt,
        commune_id -> BigInt,
        meeting_id -> BigInt,
        text -> Text,
        owner_unit_id -> BigInt,
        due_on -> Date,
        status -> Text,
        done_on -> Nullable<Date>,
        task_id -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    decision_reports (id) {
        id -> BigInt,
        decision_id -> BigInt,
        author_id -> BigInt,
        author_name -> Text,
        text -> Text,
        status -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    board_supervisions (id) {
        id -> BigInt,
        commune_id -> BigInt,
        board_unit_id -> BigInt,
        held_on -> Date,
        subject -> Text,
        findings -> Text,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    board_recommendations (id) {
        id -> BigInt,
        commune_id -> BigInt,
        supervision_id -> BigInt,
        text -> Text,
        addressed_unit_id -> Nullable<BigInt>,
        status -> Text,
        answer -> Text,
        answered_on -> Nullable<Date>,
        answered_by -> Nullable<BigInt>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    activities,
    activity_units,
    coordination_meetings,
    meeting_units,
    meeting_decisions,
    decision_reports,
    board_supervisions,
    board_recommendations,
);

diesel::joinable!(decision_reports -> meeting_decisions (decision_id));
diesel::joinable!(board_recommendations -> board_supervisions (supervision_id));

// ---- Open311 GeoReport v2 (integration::open311) ----

diesel::table! {
    feedback_categories (id) {
        id -> BigInt,
        commune_id -> Nullable<BigInt>,
        code -> Text,
        name -> Text,
        description -> Text,
        kind -> Text,
        grouping -> Text,
        keywords -> Text,
        position -> Integer,
        active -> Bool,
    }
}

diesel::table! {
    open311_requests (petition_id) {
        petition_id -> BigInt,
        commune_id -> BigInt,
        service_code -> Text,
        token -> Text,
        api_key_id -> BigInt,
        lat -> Nullable<Double>,
        long -> Nullable<Double>,
        address -> Nullable<Text>,
        created_at -> Timestamp,
        media_url -> Nullable<Text>,
    }
}

diesel::joinable!(open311_requests -> petitions (petition_id));
diesel::allow_tables_to_appear_in_same_query!(feedback_categories, open311_requests, petitions,);

// ---- signed events (webhooks) ----

diesel::table! {
    webhook_subscriptions (id) {
        id -> BigInt,
        api_key_id -> BigInt,
        url -> Text,
        events -> Text,
        secret -> Text,
        active -> Bool,
        consecutive_failures -> Integer,
        disabled_at -> Nullable<Timestamp>,
        disabled_reason -> Nullable<Text>,
        created_by -> BigInt,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> BigInt,
        subscription_id -> BigInt,
        commune_id -> BigInt,
        event -> Text,
        event_id -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        claimed_until -> Nullable<Timestamp>,
        claimed_by -> Nullable<Text>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    webhook_attempts (id) {
        id -> BigInt,
        delivery_id -> BigInt,
        attempt -> Integer,
        at -> Timestamp,
        status_code -> Nullable<Integer>,
        error -> Nullable<Text>,
        duration_ms -> Integer,
    }
}

diesel::table! {
    webhook_event_marks (event, subject_id) {
        event -> Text,
        subject_id -> BigInt,
        commune_id -> BigInt,
        created_at -> Timestamp,
    }
}

diesel::joinable!(webhook_subscriptions -> api_keys (api_key_id));
diesel::joinable!(webhook_deliveries -> webhook_subscriptions (subscription_id));
diesel::joinable!(webhook_attempts -> webhook_deliveries (delivery_id));
diesel::allow_tables_to_appear_in_same_query!(webhook_subscriptions, webhook_deliveries, webhook_attempts);
diesel::allow_tables_to_appear_in_same_query!(webhook_subscriptions, api_keys);
diesel::allow_tables_to_appear_in_same_query!(webhook_deliveries, api_keys);

// ---- plan roll-over, notifications and the scheduler ----

diesel::table! {
    plan_rollovers (plan_id) {
        plan_id -> BigInt,
        from_plan_id -> BigInt,
        carried_over -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    task_continuations (task_id) {
        task_id -> BigInt,
        continues_task_id -> BigInt,
    }
}

diesel::table! {
    notifications (id) {
        id -> BigInt,
        user_id -> BigInt,
        commune_id -> Nullable<BigInt>,
        kind -> Text,
        subject -> Text,
        day -> Date,
        title_vi -> Text,
        title_en -> Text,
        link -> Text,
        created_at -> Timestamp,
        read_at -> Nullable<Timestamp>,
        mode -> Text,
        emailed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    notification_preferences (user_id) {
        user_id -> BigInt,
        email -> Nullable<Text>,
        email_enabled -> Bool,
        modes -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    notification_digests (id) {
        id -> BigInt,
        user_id -> BigInt,
        day -> Date,
        items -> Integer,
        emailed -> Bool,
        error -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    scheduler_leases (job) {
        job -> Text,
        holder -> Text,
        lease_until -> Timestamp,
    }
}

diesel::table! {
    scheduler_runs (id) {
        id -> BigInt,
        job -> Text,
        slot -> Timestamp,
        holder -> Text,
        started_at -> Timestamp,
        finished_at -> Nullable<Timestamp>,
        ok -> Nullable<Bool>,
        error -> Nullable<Text>,
        summary -> Text,
    }
}

diesel::allow_tables_to_appear_in_same_query!(
    plan_rollovers,
    task_continuations,
    notifications,
    notification_preferences,
    notification_digests,
    scheduler_leases,
    scheduler_runs,
);

// ---- home and citizen pages ----

diesel::table! {
    procedure_details (procedure_id) {
        procedure_id -> BigInt,
        documents -> Text,
        steps -> Text,
        place -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(procedure_details -> procedures (procedure_id));
diesel::allow_tables_to_appear_in_same_query!(procedure_details, procedures);

// ---- time-based signed events: what was announced (2026-12-03-001951) ----
diesel::allow_tables_to_appear_in_same_query!(webhook_event_marks, dossiers);
diesel::allow_tables_to_appear_in_same_query!(webhook_event_marks, procedures);
diesel::allow_tables_to_appear_in_same_query!(webhook_event_marks, petitions);
diesel::allow_tables_to_appear_in_same_query!(webhook_event_marks, tasks);
