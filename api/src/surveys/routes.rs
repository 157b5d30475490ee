//! `/api/v1/survey-forms`, `/api/v1/surveys…`, `/api/v1/public/surveys/{token}`.

use actix_web::{HttpResponse, get, patch, post, put, web};

use super::model::*;
use super::{repo, results, service};
use crate::auth::{Allowed, can};
use crate::db::run;
use crate::error::AppResult;
use crate::http::files::{csv_download, xlsx_download};
use crate::http::{JsonBody, Page, Paging, Path, Query, RequestMeta};
use crate::org::model::Role;
use crate::state::AppState;

/// The shipped forms and the commune's own.
#[utoipa::path(
    tag = "surveys",
    responses((status = 200, description = "Forms", body = Vec<Form>))
)]
#[get("/survey-forms")]
pub async fn list_forms(user: Allowed<can::ReadStatistics>) -> AppResult<web::Json<Vec<Form>>> {
    Ok(web::Json(user.in_commune(service::list_forms).await?))
}

/// One form with its current questions.
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Form id")),
    responses((status = 200, description = "The form", body = Form))
)]
#[get("/survey-forms/{id}")]
pub async fn get_form(user: Allowed<can::ReadStatistics>, id: Path<i64>) -> AppResult<web::Json<Form>> {
    Ok(web::Json(user.in_commune(move |c, commune| service::get_form(c, commune, id.into_inner())).await?))
}

/// Creates a form of the caller's commune.
#[utoipa::path(
    tag = "surveys",
    request_body = CreateForm,
    responses((status = 201, description = "Created", body = Form))
)]
#[post("/survey-forms")]
pub async fn create_form(user: Allowed<can::RunSurveys>, body: JsonBody<CreateForm>) -> AppResult<HttpResponse> {
    let f = user.act(move |c, caller| service::create_form(c, caller, body.0)).await?;
    Ok(HttpResponse::Created().json(f))
}

/// Changes a form; once it has answers, new questions make a new version.
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Form id")),
    request_body = UpdateForm,
    responses(
        (status = 200, description = "Updated", body = Form),
        (status = 409, description = "`shipped_form`", body = crate::error::Problem)
    )
)]
#[patch("/survey-forms/{id}")]
pub async fn update_form(
    user: Allowed<can::RunSurveys>,
    id: Path<i64>,
    body: JsonBody<UpdateForm>,
) -> AppResult<web::Json<Form>> {
    Ok(web::Json(user.act(move |c, caller| service::update_form(c, caller, id.into_inner(), body.0)).await?))
}

/// Surveys of the caller's commune.
#[utoipa::path(
    tag = "surveys",
    params(SurveyFilter),
    responses((status = 200, description = "A page of surveys", body = Page<Survey>))
)]
#[get("/surveys")]
pub async fn list_surveys(
    user: Allowed<can::ReadStatistics>,
    q: Query<SurveyFilter>,
) -> AppResult<web::Json<Page<Survey>>> {
    let paging = Paging::new(q.page, q.per_page)?;
    let (offset, limit) = (paging.offset(), paging.per_page);
    let (items, total) = user.in_commune(move |c, commune| service::list_surveys(c, commune, offset, limit)).await?;
    Ok(web::Json(paging.wrap(items, total)))
}

/// One survey with its form's questions.
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 200, description = "The survey", body = SurveyDetail))
)]
#[get("/surveys/{id}")]
pub async fn get_survey(user: Allowed<can::ReadStatistics>, id: Path<i64>) -> AppResult<web::Json<SurveyDetail>> {
    Ok(web::Json(user.in_commune(move |c, commune| service::get_survey(c, commune, id.into_inner())).await?))
}

/// Creates a survey (campaign).
#[utoipa::path(
    tag = "surveys",
    request_body = CreateSurvey,
    responses((status = 201, description = "Created", body = SurveyDetail))
)]
#[post("/surveys")]
pub async fn create_survey(user: Allowed<can::RunSurveys>, body: JsonBody<CreateSurvey>) -> AppResult<HttpResponse> {
    let s = user.act(move |c, caller| service::create_survey(c, caller, body.0)).await?;
    Ok(HttpResponse::Created().json(s))
}

/// Changes a survey.
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    request_body = UpdateSurvey,
    responses((status = 200, description = "Updated", body = SurveyDetail))
)]
#[patch("/surveys/{id}")]
pub async fn update_survey(
    user: Allowed<can::RunSurveys>,
    id: Path<i64>,
    body: JsonBody<UpdateSurvey>,
) -> AppResult<web::Json<SurveyDetail>> {
    Ok(web::Json(user.act(move |c, caller| service::update_survey(c, caller, id.into_inner(), body.0)).await?))
}

/// Enters a paper form (board, Front) or a village head's capture. The same `client_id` twice
/// returns the first response with 200.
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    request_body = StaffResponseInput,
    responses(
        (status = 201, description = "Entered", body = ResponseOut),
        (status = 200, description = "This client id was entered before: the first response", body = ResponseOut),
        (status = 422, description = "Field errors name the question (`answers.{id}`)", body = crate::error::Problem)
    )
)]
#[post("/surveys/{id}/responses")]
pub async fn enter_response(
    user: Allowed<can::CaptureSurveyAnswers>,
    id: Path<i64>,
    body: JsonBody<StaffResponseInput>,
) -> AppResult<HttpResponse> {
    let village = user.role == Role::Village;
    let (out, created) = user
        .act(move |c, caller| {
            let (row, created) = service::staff_answer(c, caller, id.into_inner(), body.0, village)?;
            Ok((service::response_out(c, row)?, created))
        })
        .await?;
    Ok(if created { HttpResponse::Created().json(out) } else { HttpResponse::Ok().json(out) })
}

/// Entered paper forms and village captures of a survey, newest first (a village head: the
/// own village's captures).
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id"), EnteredFilter),
    responses((status = 200, description = "Entered responses", body = Page<ResponseOut>))
)]
#[get("/surveys/{id}/responses")]
pub async fn entered_responses(
    user: Allowed<can::CaptureSurveyAnswers>,
    id: Path<i64>,
    q: Query<EnteredFilter>,
) -> AppResult<web::Json<Page<ResponseOut>>> {
    let paging = Paging::new(q.page, q.per_page)?;
    let (offset, limit) = (paging.offset(), paging.per_page);
    let (items, total) =
        user.act(move |c, caller| service::entered_responses(c, caller, id.into_inner(), offset, limit)).await?;
    Ok(web::Json(paging.wrap(items, total)))
}

/// One entered paper form or capture with its history (entry and corrections).
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id"), ("response_id" = i64, Path, description = "Response id")),
    responses(
        (status = 200, description = "The response and its history", body = EnteredResponse),
        (status = 404, description = "Not an entered response of this survey (or of the caller's village)", body = crate::error::Problem)
    )
)]
#[get("/surveys/{id}/responses/{response_id}")]
pub async fn entered_response(
    user: Allowed<can::CaptureSurveyAnswers>,
    path: Path<(i64, i64)>,
) -> AppResult<web::Json<EnteredResponse>> {
    let (id, rid) = path.into_inner();
    Ok(web::Json(user.act(move |c, caller| service::entered_response(c, caller, id, rid)).await?))
}

/// Corrects an entered paper form or capture (the audit log keeps the history).
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id"), ("response_id" = i64, Path, description = "Response id")),
    request_body = CorrectResponse,
    responses(
        (status = 200, description = "Corrected", body = ResponseOut),
        (status = 409, description = "`citizen_answer`", body = crate::error::Problem)
    )
)]
#[put("/surveys/{id}/responses/{response_id}")]
pub async fn correct_response(
    user: Allowed<can::CaptureSurveyAnswers>,
    path: Path<(i64, i64)>,
    body: JsonBody<CorrectResponse>,
) -> AppResult<web::Json<ResponseOut>> {
    let (id, rid) = path.into_inner();
    Ok(web::Json(user.act(move |c, caller| service::correct_response(c, caller, id, rid, body.0)).await?))
}

/// Tallies of a survey's paper forms.
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    responses((status = 200, description = "Tallies", body = Vec<Tally>))
)]
#[get("/surveys/{id}/tallies")]
pub async fn list_tallies(user: Allowed<can::RunSurveys>, id: Path<i64>) -> AppResult<web::Json<Vec<Tally>>> {
    let rows = user
        .in_commune(move |c, commune| {
            let s = repo::get_survey(c, commune, id.into_inner())?;
            Ok(repo::list_tallies(c, s.id)?)
        })
        .await?;
    Ok(web::Json(rows.into_iter().map(Tally::from).collect()))
}

/// Adds a tally: paper forms counted per answer per question.
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id")),
    request_body = TallyInput,
    responses((status = 201, description = "Created", body = Tally))
)]
#[post("/surveys/{id}/tallies")]
pub async fn create_tally(
    user: Allowed<can::RunSurveys>,
    id: Path<i64>,
    body: JsonBody<TallyInput>,
) -> AppResult<HttpResponse> {
    let row = user.act(move |c, caller| service::create_tally(c, caller, id.into_inner(), body.0)).await?;
    Ok(HttpResponse::Created().json(Tally::from(row)))
}

/// One tally with its history (entry and corrections with before and after, from the audit
/// log), newest change first.
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id"), ("tally_id" = i64, Path, description = "Tally id")),
    responses(
        (status = 200, description = "The tally and its history", body = TallyDetail),
        (status = 404, description = "Not a tally of this survey of the caller's commune", body = crate::error::Problem)
    )
)]
#[get("/surveys/{id}/tallies/{tally_id}")]
pub async fn get_tally(user: Allowed<can::RunSurveys>, path: Path<(i64, i64)>) -> AppResult<web::Json<TallyDetail>> {
    let (id, tid) = path.into_inner();
    Ok(web::Json(user.in_commune(move |c, commune| service::tally_detail(c, commune, id, tid)).await?))
}

/// Corrects a tally (the audit log keeps before and after).
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id"), ("tally_id" = i64, Path, description = "Tally id")),
    request_body = TallyInput,
    responses((status = 200, description = "Corrected", body = Tally))
)]
#[put("/surveys/{id}/tallies/{tally_id}")]
pub async fn update_tally(
    user: Allowed<can::RunSurveys>,
    path: Path<(i64, i64)>,
    body: JsonBody<TallyInput>,
) -> AppResult<web::Json<Tally>> {
    let (id, tid) = path.into_inner();
    let row = user.act(move |c, caller| service::update_tally(c, caller, id, tid, body.0)).await?;
    Ok(web::Json(Tally::from(row)))
}

async fn load_results(user: &Allowed<can::ReadStatistics>, id: i64, q: ResultsQuery) -> AppResult<Results> {
    user.in_commune(move |c, commune| results::results(c, commune, id, &q)).await
}

/// Results: distributions, satisfaction index (share of 4–5), breakdowns with the minimum
/// sample, masked free text.
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id"), ResultsQuery),
    responses((status = 200, description = "Results", body = Results))
)]
#[get("/surveys/{id}/results")]
pub async fn get_results(
    user: Allowed<can::ReadStatistics>,
    id: Path<i64>,
    q: Query<ResultsQuery>,
) -> AppResult<web::Json<Results>> {
    Ok(web::Json(load_results(&user, id.into_inner(), q.into_inner()).await?))
}

/// Results as CSV (Vietnamese headers; English with `?lang=en`).
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id"), ResultsQuery),
    responses((status = 200, description = "CSV file", content_type = "text/csv", body = String))
)]
#[get("/surveys/{id}/results.csv")]
pub async fn results_csv(
    user: Allowed<can::ReadStatistics>,
    id: Path<i64>,
    q: Query<ResultsQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let q = q.into_inner();
    let en = q.lang.as_deref() == Some("en");
    let r = load_results(&user, id, q).await?;
    Ok(csv_download(&format!("ket-qua-khao-sat-{id}.csv"), &results::results_table(&r, en)))
}

/// Results as an XLSX workbook (Vietnamese headers; English with `?lang=en`).
#[utoipa::path(
    tag = "surveys",
    params(("id" = i64, Path, description = "Survey id"), ResultsQuery),
    responses((status = 200, description = "XLSX file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>))
)]
#[get("/surveys/{id}/results.xlsx")]
pub async fn results_xlsx(
    user: Allowed<can::ReadStatistics>,
    id: Path<i64>,
    q: Query<ResultsQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let q = q.into_inner();
    let en = q.lang.as_deref() == Some("en");
    let r = load_results(&user, id, q).await?;
    let sheet = if en { "Results" } else { "Kết quả" };
    Ok(xlsx_download(&format!("ket-qua-khao-sat-{id}.xlsx"), sheet, &results::results_table(&r, en)))
}

/// Survey aggregates across the communes the caller may read (oversight: those of its
/// province or district, or one with `commune_id`; a commune user: its own): answered forms and
/// the satisfaction index per commune, with the minimum sample. Never an individual answer.
#[utoipa::path(
    tag = "surveys",
    params(AggregatesQuery),
    responses(
        (status = 200, description = "Counts per commune", body = SurveyAggregates),
        (status = 404, description = "`commune_id` outside the caller's communes", body = crate::error::Problem),
        (status = 422, description = "A period longer than 800 days or reversed", body = crate::error::Problem)
    )
)]
#[get("/survey-aggregates")]
pub async fn survey_aggregates(
    user: Allowed<can::ReadStatistics>,
    q: Query<AggregatesQuery>,
) -> AppResult<web::Json<SurveyAggregates>> {
    let q = q.into_inner();
    let to = q.to.unwrap_or_else(crate::time::today_local);
    let from = q.from.unwrap_or(to - chrono::Duration::days(364));
    if from > to || (to - from).num_days() > 800 {
        return Err(crate::error::AppError::field("to", "invalid_value", "Khoảng thời gian từ 0 đến 800 ngày."));
    }
    let asked = q.commune_id;
    let out = user
        .act(move |c, caller| {
            let communes: Vec<(i64, String)> = crate::onestop::stats::indicators::scope(c, caller, asked)?
                .into_iter()
                .map(|x| (x.id, x.name))
                .collect();
            results::aggregates(c, &communes, from, to)
        })
        .await?;
    Ok(web::Json(out))
}

/// A survey as the public page shows it (a dossier's QR token or a survey's open link).
#[utoipa::path(
    tag = "surveys",
    params(("token" = String, Path, description = "The link's token")),
    responses(
        (status = 200, description = "The survey", body = PublicSurvey),
        (status = 404, description = "Unknown or closed", body = crate::error::Problem)
    )
)]
#[get("/public/surveys/{token}")]
pub async fn public_survey(state: web::Data<AppState>, token: Path<String>) -> AppResult<web::Json<PublicSurvey>> {
    Ok(web::Json(run(&state.pool, move |c| service::public_survey(c, &token.into_inner())).await?))
}

/// Answers a survey, no account needed. One answer per dossier (`409 already_answered`).
#[utoipa::path(
    tag = "surveys",
    params(("token" = String, Path, description = "The link's token")),
    request_body = PublicResponseInput,
    responses(
        (status = 201, description = "Thank you", body = PublicThanks),
        (status = 404, description = "Unknown or closed", body = crate::error::Problem),
        (status = 409, description = "`already_answered`", body = crate::error::Problem),
        (status = 422, description = "Field errors name the question (`answers.{id}`)", body = crate::error::Problem)
    )
)]
#[post("/public/surveys/{token}/responses")]
pub async fn public_answer(
    state: web::Data<AppState>,
    meta: RequestMeta,
    token: Path<String>,
    body: JsonBody<PublicResponseInput>,
) -> AppResult<HttpResponse> {
    let ip = meta.ip;
    run(&state.pool, move |c| service::public_answer(c, &token.into_inner(), &ip, body.0)).await?;
    Ok(HttpResponse::Created()
        .json(PublicThanks { thanks: "Cảm ơn Ông/Bà đã dành thời gian đánh giá.".into() }))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_forms)
        .service(create_form)
        .service(get_form)
        .service(update_form)
        .service(list_surveys)
        .service(create_survey)
        .service(get_survey)
        .service(update_survey)
        .service(enter_response)
        .service(correct_response)
        .service(list_tallies)
        .service(create_tally)
        .service(get_tally)
        .service(update_tally)
        .service(results_csv)
        .service(results_xlsx)
        .service(get_results)
        .service(public_survey)
        .service(public_answer)
        .service(survey_aggregates)
        .service(entered_responses)
        .service(entered_response);
}
