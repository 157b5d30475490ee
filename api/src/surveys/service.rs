//! Rules of the surveys: forms and their versions, campaigns, answers from the four channels
//! (dossier, open link, paper, village capture), tallies. Every write runs in one transaction
//! with its audit entry. Results live in `results.rs`.

use std::collections::{BTreeMap, HashSet};

use chrono::{Duration, NaiveDate, NaiveDateTime, Utc};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde_json::{Value, json};

use super::model::*;
use super::repo;
use crate::audit::{self, Actor};
use crate::auth::Caller;
use crate::db::{DbConnection, write_tx};
use crate::error::{AppError, AppResult, Validator};
use crate::time::{local_date, rfc, to_local};

/// What the public page says about the data it collects (Decree 13/2023/NĐ-CP on personal
/// data protection, Law 91/2025/QH15 on personal data protection).
pub const NOTICE: &str = "Phiếu khảo sát tự nguyện, không hỏi họ tên, số điện thoại hay số định danh. \
Câu trả lời chỉ dùng để Ủy ban nhân dân xã đo mức độ hài lòng và cải thiện cách phục vụ; kết quả chỉ công bố dạng tổng hợp. \
Xin đừng ghi thông tin cá nhân vào ô góp ý. Căn cứ Nghị định 13/2023/NĐ-CP và Luật Bảo vệ dữ liệu cá nhân số 91/2025/QH15.";

/// A form per address per hour beyond which answers from an open link are refused (a flood,
/// not a kiosk: a desk's tablet serves far fewer people in an hour).
pub const ADDRESS_HOURLY_CAP: i64 = 300;
/// Answers per hour from one address beyond which further ones are flagged as possible
/// duplicates (a shared kiosk keeps answering; the board sees the flag).
pub const ADDRESS_HOURLY_FLAG: i64 = 30;
/// Answers from one device within this many minutes are flagged as possible duplicates.
pub const DEVICE_WINDOW_MINUTES: i64 = 10;

const MAX_QUESTIONS: usize = 60;
const MAX_OPTIONS: usize = 30;
const MAX_TEXT_ANSWER: usize = 2000;

fn random_token() -> String {
    // 122 random bits from the operating system's generator.
    uuid::Uuid::new_v4().simple().to_string()
}

fn valid_id(s: &str) -> bool {
    !s.is_empty() && s.len() <= 40 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
}

/// Checks a form's questions.
pub fn check_questions(v: &mut Validator, questions: &[Question]) {
    if questions.is_empty() || questions.len() > MAX_QUESTIONS {
        v.add("questions", "invalid_count", "Phiếu có từ 1 đến 60 câu hỏi.");
        return;
    }
    let mut seen = HashSet::new();
    let mut overall = 0;
    for (i, q) in questions.iter().enumerate() {
        let f = format!("questions[{i}]");
        if !valid_id(&q.id) {
            v.add(&format!("{f}.id"), "invalid_format", "Mã câu hỏi gồm chữ, số, '_' hoặc '-'.");
        } else if !seen.insert(q.id.clone()) {
            v.add(&format!("{f}.id"), "already_exists", "Mã câu hỏi bị trùng.");
        }
        v.text(&format!("{f}.text"), &q.text, 1, 500);
        match q.kind {
            QuestionKind::Single | QuestionKind::Multi => {
                if q.options.len() < 2 || q.options.len() > MAX_OPTIONS {
                    v.add(&format!("{f}.options"), "invalid_count", "Câu chọn có từ 2 đến 30 phương án.");
                }
                let mut ids = HashSet::new();
                for (j, o) in q.options.iter().enumerate() {
                    if !valid_id(&o.id) || !ids.insert(o.id.clone()) {
                        v.add(&format!("{f}.options[{j}].id"), "invalid_format", "Mã phương án trống, sai hoặc trùng.");
                    }
                    v.text(&format!("{f}.options[{j}].text"), &o.text, 1, 200);
                }
            }
            QuestionKind::Likert5 | QuestionKind::Text => {
                if !q.options.is_empty() {
                    v.add(&format!("{f}.options"), "not_allowed", "Chỉ câu chọn mới có phương án.");
                }
            }
        }
        if q.overall {
            overall += 1;
            if q.kind != QuestionKind::Likert5 {
                v.add(&format!("{f}.overall"), "not_allowed", "Câu hài lòng chung phải là thang 5 mức.");
            }
        }
        if q.profile && q.required {
            v.add(&format!("{f}.required"), "not_allowed", "Thông tin người trả lời không được bắt buộc.");
        }
    }
    if overall > 1 {
        v.add("questions", "invalid_count", "Chỉ một câu hài lòng chung.");
    }
}

fn form_out(f: FormRow, v: &FormVersionRow) -> Form {
    Form {
        id: f.id,
        shipped: f.commune_id.is_none(),
        code: f.code,
        title: f.title,
        description: f.description,
        version: v.version,
        questions: v.questions(),
        updated_at: rfc(f.updated_at),
    }
}

pub fn list_forms(conn: &mut DbConnection, commune_id: i64) -> AppResult<Vec<Form>> {
    Ok(repo::list_forms(conn, commune_id)?.into_iter().map(|(f, v)| form_out(f, &v)).collect())
}

pub fn get_form(conn: &mut DbConnection, commune_id: i64, id: i64) -> AppResult<Form> {
    let f = repo::get_form(conn, commune_id, id)?;
    let v = repo::version(conn, f.id, f.current_version)?;
    Ok(form_out(f, &v))
}

/// Creates a form of the caller's commune (version 1).
pub fn create_form(conn: &mut DbConnection, caller: &Caller, input: CreateForm) -> AppResult<Form> {
    let commune_id = caller.commune()?;
    let mut v = Validator::new();
    v.text("title", &input.title, 1, 200);
    v.text("description", &input.description, 0, 2000);
    check_questions(&mut v, &input.questions);
    v.finish()?;
    let questions = serde_json::to_string(&input.questions).map_err(|e| AppError::Internal(e.to_string()))?;
    write_tx(conn, |conn| {
        let now = Utc::now().naive_utc();
        let f = repo::insert_form(
            conn,
            &NewForm {
                commune_id: Some(commune_id),
                code: None,
                title: input.title.trim(),
                description: input.description.trim(),
                current_version: 1,
                created_by: Some(caller.id),
                created_at: now,
                updated_at: now,
            },
        )?;
        let ver = repo::insert_version(conn, f.id, 1, &questions, now)?;
        audit::repo::record_entity(
            conn,
            &caller.actor(),
            commune_id,
            "create",
            "survey_form",
            f.id,
            json!({ "title": f.title, "questions": input.questions.len() }),
        )?;
        Ok(form_out(f, &ver))
    })
}

/// Changes a form of the caller's commune. Questions changed on a version that has answers
/// make a new version; otherwise the current version is rewritten. Shipped forms are read-only.
pub fn update_form(conn: &mut DbConnection, caller: &Caller, id: i64, input: UpdateForm) -> AppResult<Form> {
    let commune_id = caller.commune()?;
    let mut v = Validator::new();
    if let Some(t) = &input.title {
        v.text("title", t, 1, 200);
    }
    if let Some(d) = &input.description {
        v.text("description", d, 0, 2000);
    }
    if let Some(q) = &input.questions {
        check_questions(&mut v, q);
    }
    v.finish()?;
    write_tx(conn, |conn| {
        let f = repo::get_form(conn, commune_id, id)?;
        if f.commune_id.is_none() {
            return Err(AppError::rule("shipped_form", "Mẫu phiếu có sẵn không sửa được; hãy tạo mẫu mới từ mẫu này."));
        }
        let current = repo::version(conn, f.id, f.current_version)?;
        let now = Utc::now().naive_utc();
        let mut version = current.clone();
        let mut new_version = false;
        if let Some(qs) = &input.questions
            && *qs != current.questions()
        {
            let text = serde_json::to_string(qs).map_err(|e| AppError::Internal(e.to_string()))?;
            if repo::version_has_answers(conn, current.id)? {
                version = repo::insert_version(conn, f.id, current.version + 1, &text, now)?;
                new_version = true;
            } else {
                repo::set_version_questions(conn, current.id, &text)?;
                version = repo::version_by_id(conn, current.id)?;
            }
        }
        let title = input.title.as_deref().map(str::trim).unwrap_or(&f.title).to_string();
        let description = input.description.as_deref().map(str::trim).unwrap_or(&f.description).to_string();
        let row = repo::update_form(conn, f.id, &title, &description, version.version, now)?;
        audit::repo::record_entity(
            conn,
            &caller.actor(),
            commune_id,
            "update",
            "survey_form",
            f.id,
            json!({ "title": [f.title, row.title], "version": [current.version, version.version],
                                 "new_version": new_version }),
        )?;
        Ok(form_out(row, &version))
    })
}

// ---------- surveys ----------

fn survey_out(s: SurveyRow, form_title: String, responses: i64) -> Survey {
    Survey {
        open: s.open_on(crate::time::today_local()),
        channels: s.channel_list(),
        target: SurveyTarget::parse(&s.target).unwrap_or(SurveyTarget::All),
        public_path: format!("/khao-sat/{}", s.public_token),
        id: s.id,
        form_id: s.form_id,
        form_title,
        title: s.values.title,
        starts_on: s.values.starts_on,
        ends_on: s.values.ends_on,
        target_ref: s.values.target_ref,
        per_dossier: s.values.per_dossier,
        board_target: s.values.board_target,
        responses,
        created_at: rfc(s.values.created_at),
    }
}

fn channels_text(channels: &[Channel]) -> String {
    Channel::ALL.into_iter().filter(|c| channels.contains(c)).map(Channel::as_str).collect::<Vec<_>>().join(",")
}

pub fn list_surveys(
    conn: &mut DbConnection,
    commune_id: i64,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<Survey>, i64)> {
    let (rows, total) = repo::list_surveys(conn, commune_id, offset, limit)?;
    Ok((rows.into_iter().map(|(s, t, n)| survey_out(s, t, n)).collect(), total))
}

pub fn get_survey(conn: &mut DbConnection, commune_id: i64, id: i64) -> AppResult<SurveyDetail> {
    let s = repo::get_survey(conn, commune_id, id)?;
    let f = repo::get_form(conn, commune_id, s.form_id)?;
    let v = repo::version(conn, f.id, f.current_version)?;
    let n = repo::response_counts(conn, &[s.id])?.get(&s.id).copied().unwrap_or(0);
    Ok(SurveyDetail { survey: survey_out(s, f.title, n), form_version: v.version, questions: v.questions() })
}

fn check_survey_fields(
    v: &mut Validator,
    title: &str,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
    channels: &[Channel],
    board_target: Option<f64>,
) {
    v.text("title", title, 1, 200);
    if ends_on.is_some_and(|e| e < starts_on) {
        v.add("ends_on", "before_start", "Ngày kết thúc trước ngày bắt đầu.");
    }
    if channels.is_empty() {
        v.add("channels", "required", "Chọn ít nhất một kênh.");
    }
    if board_target.is_some_and(|t| !(0.0..=1.0).contains(&t)) {
        v.add("board_target", "out_of_range", "Mục tiêu là tỷ lệ từ 0 đến 1.");
    }
}

/// Every dossier's QR leads to the commune's one per-dossier survey open that day, so two of them
/// may not share a day: a second one would silently take every dossier's answers from the first.
fn check_one_dossier_survey(
    conn: &mut DbConnection,
    commune_id: i64,
    except: Option<i64>,
    starts_on: NaiveDate,
    ends_on: Option<NaiveDate>,
) -> AppResult<()> {
    let overlaps = |s: &SurveyRow| {
        Some(s.id) != except && s.ends_on.is_none_or(|e| e >= starts_on) && ends_on.is_none_or(|e| e >= s.starts_on)
    };
    match repo::per_dossier_surveys(conn, commune_id)?.into_iter().find(overlaps) {
        None => Ok(()),
        Some(other) => {
            let until = other
                .ends_on
                .map_or_else(|| "không hạn kết thúc".to_string(), |e| format!("đến {}", e.format("%d/%m/%Y")));
            Err(AppError::field(
                "channels",
                "dossier_survey_taken",
                &format!(
                    "Đợt “{}” (từ {}, {until}) đang nhận đánh giá theo hồ sơ; mỗi ngày chỉ một đợt theo hồ sơ. Hãy kết thúc đợt đó trước hoặc bỏ kênh “Theo hồ sơ”.",
                    other.title,
                    other.starts_on.format("%d/%m/%Y"),
                ),
            ))
        }
    }
}

/// Creates a survey in the caller's commune.
pub fn create_survey(conn: &mut DbConnection, caller: &Caller, input: CreateSurvey) -> AppResult<SurveyDetail> {
    let commune_id = caller.commune()?;
    let mut v = Validator::new();
    check_survey_fields(&mut v, &input.title, input.starts_on, input.ends_on, &input.channels, input.board_target);
    let needs_ref = !matches!(input.target, SurveyTarget::All | SurveyTarget::Dossiers);
    let target_ref = input.target_ref.as_deref().map(str::trim).filter(|r| !r.is_empty()).map(str::to_string);
    if needs_ref && target_ref.is_none() {
        v.add("target_ref", "required", "Cho biết thủ tục, lĩnh vực hoặc đơn vị được khảo sát.");
    }
    v.finish()?;
    let id = write_tx(conn, |conn| {
        let f = repo::get_form(conn, commune_id, input.form_id)
            .map_err(|_| AppError::field("form_id", "not_found", "Không tìm thấy mẫu phiếu."))?;
        let per_dossier = input.per_dossier || input.channels.contains(&Channel::Dossier);
        if per_dossier {
            check_one_dossier_survey(conn, commune_id, None, input.starts_on, input.ends_on)?;
        }
        let now = Utc::now().naive_utc();
        let row = repo::insert_survey(
            conn,
            &NewSurvey {
                commune_id,
                form_id: f.id,
                title: input.title.trim().to_string(),
                starts_on: input.starts_on,
                ends_on: input.ends_on,
                target: input.target.as_str().to_string(),
                target_ref: if needs_ref { target_ref } else { None },
                channels: channels_text(&input.channels),
                per_dossier,
                public_token: random_token(),
                board_target: input.board_target,
                created_by: Some(caller.id),
                created_at: now,
                updated_at: now,
            },
        )?;
        audit::repo::record_entity(
            conn,
            &caller.actor(),
            commune_id,
            "create",
            "survey",
            row.id,
            json!({ "title": row.title, "form_id": row.form_id, "channels": row.channels,
                                 "starts_on": row.starts_on, "ends_on": row.ends_on }),
        )?;
        Ok::<_, AppError>(row.id)
    })?;
    get_survey(conn, commune_id, id)
}

/// Changes a survey (title, period, channels, target).
pub fn update_survey(
    conn: &mut DbConnection,
    caller: &Caller,
    id: i64,
    input: UpdateSurvey,
) -> AppResult<SurveyDetail> {
    let commune_id = caller.commune()?;
    write_tx(conn, |conn| {
        let s = repo::get_survey(conn, commune_id, id)?;
        let title = input.title.clone().unwrap_or_else(|| s.title.clone());
        let starts_on = input.starts_on.unwrap_or(s.starts_on);
        let ends_on = input.ends_on.unwrap_or(s.ends_on);
        let channels = input.channels.clone().unwrap_or_else(|| s.channel_list());
        let board_target = input.board_target.unwrap_or(s.board_target);
        let mut v = Validator::new();
        check_survey_fields(&mut v, &title, starts_on, ends_on, &channels, board_target);
        v.finish()?;
        let per_dossier = input.per_dossier.unwrap_or(s.per_dossier) || channels.contains(&Channel::Dossier);
        if per_dossier {
            check_one_dossier_survey(conn, commune_id, Some(id), starts_on, ends_on)?;
        }
        let changes = SurveyChanges {
            title: Some(title.trim().to_string()),
            starts_on: Some(starts_on),
            ends_on: Some(ends_on),
            channels: Some(channels_text(&channels)),
            per_dossier: Some(per_dossier),
            board_target: Some(board_target),
            updated_at: Some(Utc::now().naive_utc()),
            ..SurveyChanges::default()
        };
        let row = repo::update_survey(conn, id, &changes)?;
        audit::repo::record_entity(
            conn,
            &caller.actor(),
            commune_id,
            "update",
            "survey",
            id,
            json!({ "title": [s.title, row.title], "starts_on": [s.starts_on, row.starts_on],
                                 "ends_on": [s.ends_on, row.ends_on], "channels": [s.channels, row.channels],
                                 "board_target": [s.board_target, row.board_target] }),
        )?;
        Ok::<_, AppError>(())
    })?;
    get_survey(conn, commune_id, id)
}

// ---------- answers ----------

/// One stored answer: (question, likert value, option id, free text).
pub type CheckedAnswer = (String, Option<i32>, Option<String>, Option<String>);

/// Answers checked against a form version: the rows to store and the sums kept on the response.
#[derive(Debug, Default)]
pub struct Checked {
    pub rows: Vec<CheckedAnswer>,
    pub overall: Option<i32>,
    /// (likert answers, likert sum, likert answers of 4–5)
    pub sums: (i32, i32, i32),
}

/// Checks answers against the questions; field errors name the question (`answers.{id}`).
pub fn check_answers(questions: &[Question], answers: &[AnswerInput]) -> AppResult<Checked> {
    let mut v = Validator::new();
    let mut out = Checked::default();
    let mut given = HashSet::new();
    let mut valued = HashSet::new();
    for a in answers {
        let field = format!("answers.{}", a.question_id);
        let Some(q) = questions.iter().find(|q| q.id == a.question_id) else {
            v.add(&field, "unknown_question", "Phiếu không có câu hỏi này.");
            continue;
        };
        if !given.insert(q.id.clone()) {
            v.add(&field, "duplicate", "Câu hỏi được trả lời hai lần.");
            continue;
        }
        if a.value.is_null() {
            continue;
        }
        valued.insert(q.id.clone());
        match q.kind {
            QuestionKind::Likert5 => match a.value.as_i64() {
                Some(n @ 1..=5) => {
                    let n = n as i32;
                    out.rows.push((q.id.clone(), Some(n), None, None));
                    out.sums.0 += 1;
                    out.sums.1 += n;
                    out.sums.2 += i32::from(n >= 4);
                    if q.overall {
                        out.overall = Some(n);
                    }
                }
                _ => v.add(&field, "out_of_range", "Chọn một mức từ 1 đến 5."),
            },
            QuestionKind::Single => match a.value.as_str() {
                Some(o) if q.options.iter().any(|x| x.id == o) => {
                    out.rows.push((q.id.clone(), None, Some(o.to_string()), None));
                }
                _ => v.add(&field, "unknown_option", "Phương án không có trong câu hỏi."),
            },
            QuestionKind::Multi => match a.value.as_array() {
                Some(list) => {
                    let mut picked = HashSet::new();
                    for o in list {
                        match o.as_str() {
                            Some(o) if q.options.iter().any(|x| x.id == o) => {
                                if picked.insert(o.to_string()) {
                                    out.rows.push((q.id.clone(), None, Some(o.to_string()), None));
                                }
                            }
                            _ => v.add(&field, "unknown_option", "Phương án không có trong câu hỏi."),
                        }
                    }
                }
                None => v.add(&field, "invalid_format", "Gửi danh sách phương án đã chọn."),
            },
            QuestionKind::Text => match a.value.as_str() {
                Some(t) if t.chars().count() > MAX_TEXT_ANSWER => {
                    v.add(&field, "too_long", "Tối đa 2000 ký tự.");
                }
                Some(t) if t.chars().any(|c| c.is_control() && c != '\n' && c != '\t') => {
                    v.add(&field, "invalid_format", "Có ký tự điều khiển không hợp lệ.");
                }
                Some(t) if !t.trim().is_empty() => {
                    out.rows.push((q.id.clone(), None, None, Some(t.trim().to_string())));
                }
                Some(_) => {}
                None => v.add(&field, "invalid_format", "Gửi câu trả lời dạng chữ."),
            },
        }
    }
    for q in questions.iter().filter(|q| q.required) {
        let answered = out.rows.iter().any(|r| r.0 == q.id);
        let wrong_value = valued.contains(&q.id) && matches!(q.kind, QuestionKind::Likert5 | QuestionKind::Single);
        if !answered && !wrong_value {
            v.add(&format!("answers.{}", q.id), "required", "Câu hỏi này bắt buộc.");
        }
    }
    v.finish()?;
    Ok(out)
}

/// Everything a response is linked to besides its answers.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    pub channel: Option<Channel>,
    pub dossier: Option<repo::DossierFacts>,
    pub client_id: Option<String>,
    pub village_id: Option<i64>,
    pub client_key: Option<String>,
    pub device: Option<String>,
    pub duplicate: bool,
    pub entered_by: Option<i64>,
    pub answered_at: Option<NaiveDateTime>,
}

fn is_unique_violation(e: &DieselError) -> bool {
    matches!(e, DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _))
}

/// Stores one response (inside the caller's transaction). A unique violation (the dossier
/// answered, the client id used) is returned as `Err(None)`-like rule errors by the callers.
fn store_response(
    conn: &mut DbConnection,
    survey: &SurveyRow,
    version: &FormVersionRow,
    checked: &Checked,
    p: &Provenance,
) -> Result<ResponseRow, DieselError> {
    let now = Utc::now().naive_utc();
    let at = p.answered_at.unwrap_or(now);
    let d = p.dossier.as_ref();
    let row = repo::insert_response(
        conn,
        &NewResponse {
            survey_id: survey.id,
            commune_id: survey.commune_id,
            form_version_id: version.id,
            channel: p.channel.unwrap_or(Channel::Link).as_str().to_string(),
            dossier_id: d.map(|d| d.id),
            client_id: p.client_id.clone(),
            procedure_id: d.map(|d| d.procedure_id),
            field: d.map(|d| d.field.clone()),
            unit_id: d.map(|d| d.unit_id),
            timeliness: d.map(|d| d.timeliness.clone().unwrap_or_else(|| "open".into())),
            officer_id: d.and_then(|d| d.officer_id),
            village_id: p.village_id,
            answered_at: at,
            month: to_local(at).format("%Y-%m").to_string(),
            overall: checked.overall,
            likert_n: checked.sums.0,
            likert_sum: checked.sums.1,
            likert_satisfied: checked.sums.2,
            duplicate: p.duplicate,
            client_key: p.client_key.clone(),
            device: p.device.clone(),
            entered_by: p.entered_by,
            created_at: now,
            updated_at: now,
        },
    )?;
    let rows: Vec<AnswerRow> = checked
        .rows
        .iter()
        .map(|(q, n, o, t)| AnswerRow {
            id: 0,
            response_id: row.id,
            survey_id: survey.id,
            answered_at: at,
            question_id: q.clone(),
            value_int: *n,
            option_id: o.clone(),
            free_text: t.clone(),
        })
        .collect();
    repo::insert_answers(conn, &rows)?;
    repo::count_response(conn, &row, &rows, 1)?;
    Ok(row)
}

/// What a public token points at.
enum Resolved {
    Open(SurveyRow),
    Dossier(SurveyRow, repo::DossierFacts),
}

/// The commune's per-dossier survey open today, if the board (or a first answer) opened one.
fn open_dossier_survey(conn: &mut DbConnection, commune_id: i64) -> AppResult<Option<SurveyRow>> {
    let today = crate::time::today_local();
    Ok(repo::per_dossier_surveys(conn, commune_id)?.into_iter().find(|s| s.open_on(today)))
}

/// The title of the per-dossier survey opened on a first answer.
const DOSSIER_SURVEY_TITLE: &str = "Đánh giá sự hài lòng theo từng hồ sơ";

/// The commune's per-dossier survey open today; when the board has set none up, one with the
/// shipped one-stop form is opened (so every dossier's QR works from the first day). Only an
/// answer (a POST) opens one; reading the page never writes.
fn dossier_survey(conn: &mut DbConnection, commune_id: i64) -> AppResult<SurveyRow> {
    let today = crate::time::today_local();
    if let Some(s) = open_dossier_survey(conn, commune_id)? {
        return Ok(s);
    }
    write_tx(conn, |conn| {
        if let Some(s) = repo::per_dossier_surveys(conn, commune_id)?.into_iter().find(|s| s.open_on(today)) {
            return Ok(s);
        }
        let form = repo::form_by_code(conn, "onestop")?;
        let now = Utc::now().naive_utc();
        let row = repo::insert_survey(
            conn,
            &NewSurvey {
                commune_id,
                form_id: form.id,
                title: DOSSIER_SURVEY_TITLE.into(),
                starts_on: today,
                ends_on: None,
                target: SurveyTarget::Dossiers.as_str().into(),
                target_ref: None,
                channels: Channel::Dossier.as_str().into(),
                per_dossier: true,
                public_token: random_token(),
                board_target: None,
                created_by: None,
                created_at: now,
                updated_at: now,
            },
        )?;
        audit::repo::record_entity(
            conn,
            &Actor::system("surveys"),
            commune_id,
            "create",
            "survey",
            row.id,
            json!({ "title": row.title, "per_dossier": true, "reason": "first dossier answer" }),
        )?;
        Ok(row)
    })
}

/// What a token points at, read only: a dossier whose commune has no open per-dossier survey
/// yet comes back with `None` (the answer opens it).
enum Found {
    Open(SurveyRow),
    Dossier(Option<SurveyRow>, repo::DossierFacts),
}

fn find(conn: &mut DbConnection, token: &str) -> AppResult<Found> {
    if token.is_empty() || token.len() > 64 {
        return Err(AppError::NotFound);
    }
    if let Some(s) = repo::survey_by_token(conn, token)? {
        if s.open_on(crate::time::today_local()) && s.channel_list().contains(&Channel::Link) {
            return Ok(Found::Open(s));
        }
        return Err(AppError::NotFound);
    }
    let Some(d) = repo::dossier_by_token(conn, token)? else {
        return Err(AppError::NotFound);
    };
    let s = open_dossier_survey(conn, d.commune_id)?;
    Ok(Found::Dossier(s, d))
}

/// What a token points at, for an answer: the per-dossier survey is opened if needed.
fn resolve(conn: &mut DbConnection, token: &str) -> AppResult<Resolved> {
    Ok(match find(conn, token)? {
        Found::Open(s) => Resolved::Open(s),
        Found::Dossier(Some(s), d) => Resolved::Dossier(s, d),
        Found::Dossier(None, d) => Resolved::Dossier(dossier_survey(conn, d.commune_id)?, d),
    })
}

fn current_version(conn: &mut DbConnection, s: &SurveyRow) -> AppResult<FormVersionRow> {
    let f = repo::get_form(conn, s.commune_id, s.form_id)?;
    Ok(repo::version(conn, f.id, f.current_version)?)
}

/// `GET /public/surveys/{token}`: read only — it never makes a token or a survey (a
/// dossier's commune without an open per-dossier survey shows the shipped one-stop form the
/// first answer will open it with).
pub fn public_survey(conn: &mut DbConnection, token: &str) -> AppResult<PublicSurvey> {
    let (title, v, d) = match find(conn, token)? {
        Found::Open(s) => {
            let v = current_version(conn, &s)?;
            (s.values.title, v, None)
        }
        Found::Dossier(Some(s), d) => {
            let v = current_version(conn, &s)?;
            (s.values.title, v, Some(d))
        }
        Found::Dossier(None, d) => {
            let f = repo::form_by_code(conn, "onestop")?;
            let v = repo::version(conn, f.id, f.current_version)?;
            (DOSSIER_SURVEY_TITLE.to_string(), v, Some(d))
        }
    };
    let answered = match &d {
        Some(d) => repo::dossier_answered(conn, d.id)?,
        None => false,
    };
    Ok(PublicSurvey {
        title,
        notice: NOTICE.to_string(),
        questions: with_likert_labels(v.questions()),
        answered,
        procedure_name: d.map(|d| d.procedure_name),
    })
}

/// The questions as the public page shows them: likert questions carry their five labels.
pub fn with_likert_labels(mut qs: Vec<Question>) -> Vec<Question> {
    for q in qs.iter_mut().filter(|q| q.kind == QuestionKind::Likert5) {
        q.options = (1..=5)
            .rev()
            .map(|n| QuestionOption { id: n.to_string(), text: LIKERT_LABELS[n - 1].to_string() })
            .collect();
    }
    qs
}

/// `POST /public/surveys/{token}/responses`: an answer through a dossier's QR (one per dossier)
/// or a survey's open link (limits per address and device flag duplicates; a flood is refused).
pub fn public_answer(
    conn: &mut DbConnection,
    token: &str,
    ip: &str,
    input: PublicResponseInput,
) -> AppResult<ResponseRow> {
    let resolved = resolve(conn, token)?;
    let (s, d) = match resolved {
        Resolved::Open(s) => (s, None),
        Resolved::Dossier(s, d) => (s, Some(d)),
    };
    let version = current_version(conn, &s)?;
    let checked = check_answers(&version.questions(), &input.answers)?;
    let client_key = crate::auth::throttle::client_key(ip);
    let device = input.device.as_deref().map(str::trim).filter(|d| valid_id(d)).map(str::to_string);
    write_tx(conn, |conn| {
        let mut p =
            Provenance { client_key: Some(client_key.clone()), device: device.clone(), ..Provenance::default() };
        if let Some(d) = &d {
            if repo::dossier_answered(conn, d.id)? {
                return Err(already_answered());
            }
            p.channel = Some(Channel::Dossier);
            p.dossier = Some(d.clone());
        } else {
            let now = Utc::now().naive_utc();
            let (per_hour, _) = repo::recent_from(conn, s.id, &client_key, None, now - Duration::hours(1))?;
            if per_hour >= ADDRESS_HOURLY_CAP {
                return Err(AppError::RateLimited { retry_after_secs: 600 });
            }
            let (_, per_device) = repo::recent_from(
                conn,
                s.id,
                &client_key,
                device.as_deref(),
                now - Duration::minutes(DEVICE_WINDOW_MINUTES),
            )?;
            p.channel = Some(Channel::Link);
            p.duplicate = per_hour >= ADDRESS_HOURLY_FLAG || per_device > 0;
        }
        let row = store_response(conn, &s, &version, &checked, &p)
            .map_err(|e| if is_unique_violation(&e) { already_answered() } else { AppError::from(e) })?;
        audit::repo::record_entity(
            conn,
            &Actor { ip: Some(ip.to_string()), commune_id: Some(s.commune_id), ..Actor::default() },
            s.commune_id,
            "answer",
            "survey_response",
            row.id,
            json!({ "survey_id": s.id, "channel": row.channel, "duplicate": row.duplicate }),
        )?;
        Ok(row)
    })
}

fn already_answered() -> AppError {
    AppError::rule("already_answered", "Hồ sơ này đã được đánh giá. Cảm ơn Ông/Bà.")
}

/// `POST /surveys/{id}/responses`: a paper form (board, Front) or a village head's capture.
/// The client's id makes a retried upload harmless: the same id returns the first response and
/// `false` (not created).
pub fn staff_answer(
    conn: &mut DbConnection,
    caller: &Caller,
    survey_id: i64,
    input: StaffResponseInput,
    village: bool,
) -> AppResult<(ResponseRow, bool)> {
    let commune_id = caller.commune()?;
    let client_id = input.client_id.trim().to_string();
    if !valid_id(&client_id) || client_id.len() < 8 {
        return Err(AppError::field("client_id", "invalid_format", "Mã phiếu do máy tạo (8–40 chữ, số, '-')."));
    }
    let s = repo::get_survey(conn, commune_id, survey_id)?;
    if let Some(first) = repo::response_by_client(conn, s.id, &client_id)? {
        return Ok((first, false));
    }
    let version = current_version(conn, &s)?;
    let checked = check_answers(&version.questions(), &input.answers)?;
    let today = crate::time::today_local();
    let day = input.answered_on.unwrap_or(today);
    if day > today {
        return Err(AppError::field("answered_on", "in_future", "Ngày trả lời ở tương lai."));
    }
    if day < s.starts_on {
        return Err(AppError::field(
            "answered_on",
            "before_start",
            &format!("Ngày trả lời trước ngày bắt đầu khảo sát ({}).", s.starts_on.format("%d/%m/%Y")),
        ));
    }
    // A closed survey's figures stand: a form answered after its last day is not one of its forms.
    if let Some(end) = s.ends_on.filter(|e| day > *e) {
        return Err(AppError::field(
            "answered_on",
            "after_end",
            &format!(
                "Ngày trả lời sau ngày kết thúc khảo sát ({}). Phiếu thu trong đợt thì ghi ngày trả lời trên phiếu.",
                end.format("%d/%m/%Y")
            ),
        ));
    }
    let answered_at = crate::time::to_utc(day.and_hms_opt(12, 0, 0).unwrap_or_default());
    let res = write_tx(conn, |conn| {
        if let Some(first) = repo::response_by_client(conn, s.id, &client_id)? {
            return Ok((first, false));
        }
        let p = Provenance {
            channel: Some(if village { Channel::Village } else { Channel::Paper }),
            client_id: Some(client_id.clone()),
            village_id: if village { caller.unit_id } else { None },
            entered_by: Some(caller.id),
            answered_at: Some(answered_at),
            ..Provenance::default()
        };
        let row = store_response(conn, &s, &version, &checked, &p).map_err(|e| {
            if is_unique_violation(&e) {
                AppError::rule("client_id_taken", "Phiếu này vừa được gửi.")
            } else {
                AppError::from(e)
            }
        })?;
        audit::repo::record_entity(
            conn,
            &caller.actor(),
            commune_id,
            "enter",
            "survey_response",
            row.id,
            json!({ "survey_id": s.id, "channel": row.channel, "client_id": client_id,
                                 "answers": input.answers }),
        )?;
        Ok((row, true))
    });
    match res {
        // A concurrent submit of the same id won the race: return its response.
        Err(AppError::Rule { code: "client_id_taken", .. }) => {
            let first = repo::response_by_client(conn, s.id, &client_id)?.ok_or(AppError::NotFound)?;
            Ok((first, false))
        }
        other => other,
    }
}

/// A response with its answers, as staff see it.
pub fn response_out(conn: &mut DbConnection, r: ResponseRow) -> AppResult<ResponseOut> {
    let v = repo::version_by_id(conn, r.form_version_id)?;
    let qs = v.questions();
    let mut answers: BTreeMap<String, Value> = BTreeMap::new();
    for a in repo::answers_of(conn, r.id)? {
        let multi = qs.iter().any(|q| q.id == a.question_id && q.kind == QuestionKind::Multi);
        let val = if let Some(n) = a.value_int {
            json!(n)
        } else if let Some(o) = a.option_id {
            json!(o)
        } else {
            json!(a.free_text)
        };
        if multi {
            let e = answers.entry(a.question_id).or_insert_with(|| json!([]));
            if let Some(list) = e.as_array_mut() {
                list.push(val);
            }
        } else {
            answers.insert(a.question_id, val);
        }
    }
    Ok(ResponseOut {
        id: r.id,
        survey_id: r.survey_id,
        channel: Channel::parse(&r.channel).unwrap_or(Channel::Paper),
        form_version: v.version,
        answered_at: rfc(r.answered_at),
        duplicate: r.duplicate,
        answers: answers.into_iter().map(|(question_id, value)| AnswerInput { question_id, value }).collect(),
        entered_by: r.entered_by,
    })
}

/// The entered responses (paper, village) of a survey, newest first; a village head sees the
/// own village's captures only.
pub fn entered_responses(
    conn: &mut DbConnection,
    caller: &Caller,
    survey_id: i64,
    offset: i64,
    limit: i64,
) -> AppResult<(Vec<ResponseOut>, i64)> {
    let commune_id = caller.commune()?;
    let s = repo::get_survey(conn, commune_id, survey_id)?;
    let (rows, total) = repo::entered_responses(conn, s.id, caller.unit_scope(), offset, limit)?;
    let mut out = Vec::with_capacity(rows.len());
    for r in rows {
        out.push(response_out(conn, r)?);
    }
    Ok((out, total))
}

/// One entered response with its history (entry and corrections, from the audit log).
pub fn entered_response(
    conn: &mut DbConnection,
    caller: &Caller,
    survey_id: i64,
    response_id: i64,
) -> AppResult<EnteredResponse> {
    let commune_id = caller.commune()?;
    let s = repo::get_survey(conn, commune_id, survey_id)?;
    let r = repo::get_response(conn, s.id, response_id)?;
    if !matches!(r.channel.as_str(), "paper" | "village") {
        return Err(AppError::NotFound);
    }
    if caller.unit_scope().is_some() && (r.channel != "village" || r.village_id != caller.unit_id) {
        return Err(AppError::NotFound);
    }
    let history = entry_history(conn, commune_id, "survey_response", r.id)?;
    Ok(EnteredResponse { response: response_out(conn, r)?, history })
}

/// The history of an entered response or a tally, newest change first: its audit entries with
/// who made each (the person's full name; `None` when no person did).
pub fn entry_history(
    conn: &mut DbConnection,
    commune_id: i64,
    entity: &str,
    entity_id: i64,
) -> AppResult<Vec<EntryChange>> {
    let entries = audit::repo::history(conn, commune_id, entity, &entity_id.to_string(), 100)?;
    let ids: Vec<i64> = entries.iter().filter_map(|e| e.user_id).collect();
    let names: std::collections::HashMap<i64, String> = crate::org::repo::full_names(conn, &ids)?.into_iter().collect();
    Ok(entries
        .into_iter()
        .map(|e| EntryChange {
            at: rfc(e.at),
            who: e.user_id.and_then(|u| names.get(&u).cloned()),
            username: e.username,
            action: e.action,
            summary: serde_json::from_str(&e.summary).unwrap_or(Value::Null),
        })
        .collect())
}

/// Corrects an entered paper or village response; the audit entry keeps the answers before
/// and after (the history). Dossier and open-link answers are the citizen's and stay as given.
pub fn correct_response(
    conn: &mut DbConnection,
    caller: &Caller,
    survey_id: i64,
    response_id: i64,
    input: CorrectResponse,
) -> AppResult<ResponseOut> {
    let commune_id = caller.commune()?;
    let s = repo::get_survey(conn, commune_id, survey_id)?;
    let r = repo::get_response(conn, s.id, response_id)?;
    if !matches!(r.channel.as_str(), "paper" | "village") {
        return Err(AppError::rule("citizen_answer", "Câu trả lời do người dân gửi không được sửa."));
    }
    if caller.unit_scope().is_some() && (r.channel != "village" || r.village_id != caller.unit_id) {
        return Err(AppError::NotFound);
    }
    let v = repo::version_by_id(conn, r.form_version_id)?;
    let checked = check_answers(&v.questions(), &input.answers)?;
    let before = response_out(conn, r.clone())?;
    write_tx(conn, |conn| {
        // The kept counts lose the answers as they were and gain them as corrected.
        let current = repo::get_response(conn, s.id, r.id)?;
        let old = repo::answers_of(conn, r.id)?;
        repo::count_response(conn, &current, &old, -1)?;
        repo::delete_answers(conn, r.id)?;
        let rows: Vec<AnswerRow> = checked
            .rows
            .iter()
            .map(|(q, n, o, t)| AnswerRow {
                id: 0,
                response_id: r.id,
                survey_id: s.id,
                answered_at: r.answered_at,
                question_id: q.clone(),
                value_int: *n,
                option_id: o.clone(),
                free_text: t.clone(),
            })
            .collect();
        repo::insert_answers(conn, &rows)?;
        let corrected = repo::set_response_sums(conn, r.id, checked.overall, checked.sums, Utc::now().naive_utc())?;
        repo::count_response(conn, &corrected, &rows, 1)?;
        audit::repo::record_entity(
            conn,
            &caller.actor(),
            commune_id,
            "correct",
            "survey_response",
            r.id,
            json!({ "before": before.answers, "after": input.answers }),
        )?;
        Ok::<_, AppError>(())
    })?;
    let r = repo::get_response(conn, s.id, response_id)?;
    response_out(conn, r)
}

// ---------- tallies ----------

/// Checks a tally against the questions: every count names a question and an answer of it, no
/// count is negative, and no question of one answer (likert, single) counts more answers than
/// forms; the forms were collected within the survey's days, and not after today. Returns the
/// likert sums.
pub fn check_tally(questions: &[Question], survey: &SurveyRow, input: &TallyInput) -> AppResult<(i32, i32, i32)> {
    let starts_on = survey.starts_on;
    let mut v = Validator::new();
    if input.forms < 1 || input.forms > 100_000 {
        v.add("forms", "out_of_range", "Số phiếu từ 1 đến 100.000.");
    }
    if input.collected_on > crate::time::today_local() {
        v.add("collected_on", "in_future", "Ngày thu phiếu ở tương lai.");
    } else if input.collected_on < starts_on {
        v.add(
            "collected_on",
            "before_start",
            &format!("Ngày thu phiếu trước ngày bắt đầu khảo sát ({}).", starts_on.format("%d/%m/%Y")),
        );
    } else if let Some(end) = survey.ends_on.filter(|e| input.collected_on > *e) {
        v.add(
            "collected_on",
            "after_end",
            &format!("Ngày thu phiếu sau ngày kết thúc khảo sát ({}).", end.format("%d/%m/%Y")),
        );
    }
    v.text("note", &input.note, 0, 1000);
    let (mut n, mut sum, mut sat) = (0i64, 0i64, 0i64);
    for (qid, counts) in &input.counts {
        let field = format!("counts.{qid}");
        let Some(q) = questions.iter().find(|q| &q.id == qid) else {
            v.add(&field, "unknown_question", "Phiếu không có câu hỏi này.");
            continue;
        };
        let mut total = 0i64;
        for (ans, c) in counts {
            if *c < 0 {
                v.add(&field, "negative", "Số đếm không được âm.");
                continue;
            }
            let ok = match q.kind {
                QuestionKind::Likert5 => match ans.parse::<i64>() {
                    Ok(x @ 1..=5) => {
                        n += c;
                        sum += x * c;
                        if x >= 4 {
                            sat += c;
                        }
                        true
                    }
                    _ => false,
                },
                QuestionKind::Single | QuestionKind::Multi => q.options.iter().any(|o| &o.id == ans),
                QuestionKind::Text => false,
            };
            if !ok {
                v.add(&field, "unknown_option", &format!("Câu hỏi không có phương án “{ans}”."));
            }
            if q.kind == QuestionKind::Multi && *c > i64::from(input.forms) {
                v.add(&field, "exceeds_forms", "Số phiếu chọn một phương án vượt tổng số phiếu.");
            }
            total += c;
        }
        if matches!(q.kind, QuestionKind::Likert5 | QuestionKind::Single) && total > i64::from(input.forms) {
            v.add(&field, "exceeds_forms", "Tổng số trả lời của câu hỏi vượt tổng số phiếu.");
        }
    }
    v.finish()?;
    let clamp = |x: i64| i32::try_from(x).unwrap_or(i32::MAX);
    Ok((clamp(n), clamp(sum), clamp(sat)))
}

fn check_village(conn: &mut DbConnection, caller: &Caller, commune_id: i64, village_id: Option<i64>) -> AppResult<()> {
    if let Some(u) = village_id
        && !repo::unit_in_commune(conn, commune_id, u)?
    {
        return Err(AppError::field("village_id", "not_found", "Không tìm thấy thôn."));
    }
    let _ = caller;
    Ok(())
}

/// `POST /surveys/{id}/tallies`.
pub fn create_tally(
    conn: &mut DbConnection,
    caller: &Caller,
    survey_id: i64,
    input: TallyInput,
) -> AppResult<TallyRow> {
    let commune_id = caller.commune()?;
    let s = repo::get_survey(conn, commune_id, survey_id)?;
    let version = current_version(conn, &s)?;
    let sums = check_tally(&version.questions(), &s, &input)?;
    check_village(conn, caller, commune_id, input.village_id)?;
    write_tx(conn, |conn| store_tally(conn, &caller.actor(), &s, &version, &input, sums, Some(caller.id)))
}

/// Inserts a checked tally and its audit entry (`survey_tally`, `create`: the first entry of
/// its history), inside the caller's transaction.
fn store_tally(
    conn: &mut DbConnection,
    actor: &Actor,
    s: &SurveyRow,
    version: &FormVersionRow,
    input: &TallyInput,
    sums: (i32, i32, i32),
    entered_by: Option<i64>,
) -> AppResult<TallyRow> {
    let now = Utc::now().naive_utc();
    let row = repo::insert_tally(
        conn,
        &NewTally {
            survey_id: s.id,
            commune_id: s.commune_id,
            form_version_id: version.id,
            forms: input.forms,
            counts: serde_json::to_string(&input.counts).map_err(|e| AppError::Internal(e.to_string()))?,
            collected_on: input.collected_on,
            village_id: input.village_id,
            note: input.note.trim().to_string(),
            likert_n: sums.0,
            likert_sum: sums.1,
            likert_satisfied: sums.2,
            entered_by,
            created_at: now,
            updated_at: now,
        },
    )?;
    audit::repo::record_entity(
        conn,
        actor,
        s.commune_id,
        "create",
        "survey_tally",
        row.id,
        json!({ "survey_id": s.id, "forms": row.forms, "counts": input.counts,
                             "collected_on": row.collected_on, "village_id": row.village_id, "note": row.note }),
    )?;
    Ok(row)
}

/// `GET /surveys/{id}/tallies/{tally_id}`: a tally of a survey of the caller's commune with its
/// history (entry and corrections with before and after, from the audit log).
pub fn tally_detail(conn: &mut DbConnection, commune_id: i64, survey_id: i64, tally_id: i64) -> AppResult<TallyDetail> {
    let s = repo::get_survey(conn, commune_id, survey_id)?;
    let row = repo::get_tally(conn, s.id, tally_id)?;
    let history = entry_history(conn, commune_id, "survey_tally", row.id)?;
    Ok(TallyDetail { tally: Tally::from(row), history })
}

/// `PUT /surveys/{id}/tallies/{tally_id}`: a correction; the audit entry keeps before and after.
pub fn update_tally(
    conn: &mut DbConnection,
    caller: &Caller,
    survey_id: i64,
    tally_id: i64,
    input: TallyInput,
) -> AppResult<TallyRow> {
    let commune_id = caller.commune()?;
    let s = repo::get_survey(conn, commune_id, survey_id)?;
    let before = repo::get_tally(conn, s.id, tally_id)?;
    let version = repo::version_by_id(conn, before.form_version_id)?;
    let sums = check_tally(&version.questions(), &s, &input)?;
    check_village(conn, caller, commune_id, input.village_id)?;
    write_tx(conn, |conn| {
        let row = repo::update_tally(
            conn,
            before.id,
            &TallyChanges {
                forms: Some(input.forms),
                counts: Some(serde_json::to_string(&input.counts).map_err(|e| AppError::Internal(e.to_string()))?),
                collected_on: Some(input.collected_on),
                village_id: Some(input.village_id),
                note: Some(input.note.trim().to_string()),
                likert_n: Some(sums.0),
                likert_sum: Some(sums.1),
                likert_satisfied: Some(sums.2),
                updated_at: Some(Utc::now().naive_utc()),
            },
        )?;
        audit::repo::record_entity(
            conn,
            &caller.actor(),
            commune_id,
            "correct",
            "survey_tally",
            row.id,
            json!({ "before": { "forms": before.forms, "counts": before.count_map(),
                                             "collected_on": before.collected_on, "village_id": before.village_id,
                                             "note": before.note },
                                 "after": { "forms": row.forms, "counts": row.count_map(),
                                            "collected_on": row.collected_on, "village_id": row.village_id,
                                            "note": row.note } }),
        )?;
        Ok(row)
    })
}

// ---------- dossiers ----------

/// A dossier's survey link and whether it was answered (the dossier detail, form 01). Read
/// only: the database makes the token when the dossier is written (and the migration made one
/// for every older dossier), so `url` is empty only for a dossier that somehow has none.
pub fn dossier_link(conn: &mut DbConnection, dossier_id: i64) -> AppResult<DossierSurvey> {
    let url = repo::dossier_token(conn, dossier_id)?.map(|t| format!("/khao-sat/{t}")).unwrap_or_default();
    Ok(DossierSurvey { url, answered: repo::dossier_answered(conn, dossier_id)? })
}

/// Local dates → a UTC span `[from 00:00, to+1 00:00)`.
pub fn span_of(from: Option<NaiveDate>, to: Option<NaiveDate>) -> repo::Span {
    let lo = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    let hi = NaiveDate::from_ymd_opt(9999, 1, 1).unwrap_or_default();
    let f = from.unwrap_or(lo);
    let t = to.and_then(|t| t.succ_opt()).unwrap_or(hi);
    repo::Span {
        from: crate::time::to_utc(f.and_hms_opt(0, 0, 0).unwrap_or_default()),
        to: crate::time::to_utc(t.and_hms_opt(0, 0, 0).unwrap_or_default()),
    }
}

/// The local date of a UTC time (re-exported for the results).
pub fn day_of(at: NaiveDateTime) -> NaiveDate {
    local_date(at)
}

/// Records checked answers given on a date by a channel, outside a request (demo data, the
/// benchmark generator): the same checks and sums as every other answer.
pub fn record_answers(
    conn: &mut DbConnection,
    survey: &SurveyRow,
    answers: &[AnswerInput],
    channel: Channel,
    answered_at: NaiveDateTime,
    village_id: Option<i64>,
) -> AppResult<ResponseRow> {
    let version = current_version(conn, survey)?;
    let checked = check_answers(&version.questions(), answers)?;
    let p = Provenance { channel: Some(channel), village_id, answered_at: Some(answered_at), ..Provenance::default() };
    Ok(store_response(conn, survey, &version, &checked, &p)?)
}

/// Records a tally outside a request (demo data): the same checks, sums and audit entry as
/// `create_tally`, by `actor` (so its history starts with its entry like any other tally's).
pub fn record_tally(
    conn: &mut DbConnection,
    actor: &Actor,
    survey: &SurveyRow,
    input: &TallyInput,
) -> AppResult<TallyRow> {
    let version = current_version(conn, survey)?;
    let sums = check_tally(&version.questions(), survey, input)?;
    store_tally(conn, actor, survey, &version, input, sums, None)
}

/// Opens a survey outside a request (demo data, the benchmark generator).
pub fn open_survey(
    conn: &mut DbConnection,
    commune_id: i64,
    form_code: &str,
    input: &CreateSurvey,
) -> AppResult<SurveyRow> {
    let form = repo::form_by_code(conn, form_code)?;
    let now = Utc::now().naive_utc();
    Ok(repo::insert_survey(
        conn,
        &NewSurvey {
            commune_id,
            form_id: form.id,
            title: input.title.clone(),
            starts_on: input.starts_on,
            ends_on: input.ends_on,
            target: input.target.as_str().into(),
            target_ref: input.target_ref.clone(),
            channels: channels_text(&input.channels),
            per_dossier: input.per_dossier,
            public_token: random_token(),
            board_target: input.board_target,
            created_by: None,
            created_at: now,
            updated_at: now,
        },
    )?)
}
