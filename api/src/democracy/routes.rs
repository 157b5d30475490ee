//! `/api/v1/democracy/figures` (one commune) and `/democracy/oversight` (counts across the
//! communes a caller sees), and the steps every democracy handler shares once it has checked
//! the caller's permission: run the service for the caller, answer a page or `201 Created`,
//! read uploaded files.

use std::sync::Arc;

use actix_web::{HttpResponse, get, web};
use chrono::Datelike;

use super::figures::{self, CommuneDemocracyCounts, DemocracyFigures, FiguresQuery};
use crate::auth::{Allowed, AuthUser, Caller, can};
use crate::db::DbConnection;
use crate::democracy::disclosures::model::Upload;
use crate::error::{AppError, AppResult};
use crate::http::{Page, Paging, Query};
use crate::org::repo as org_repo;
use crate::plans::storage::Storage;
use crate::state::AppState;
use crate::time::today_local;

fn period(q: &FiguresQuery) -> AppResult<(chrono::NaiveDate, chrono::NaiveDate)> {
    let today = today_local();
    let from = q.from.unwrap_or_else(|| today.with_month(1).and_then(|d| d.with_day(1)).unwrap_or(today));
    let to = q.to.unwrap_or(today);
    if to < from {
        return Err(AppError::field("to", "invalid_value", "Ngày cuối không được trước ngày đầu."));
    }
    Ok((from, to))
}

/// The commune's democracy figures over a period.
#[utoipa::path(
    tag = "democracy",
    params(FiguresQuery),
    responses((status = 200, description = "Figures", body = DemocracyFigures))
)]
#[get("/democracy/figures")]
pub async fn get_figures(
    user: Allowed<can::ReadDemocracy>,
    q: Query<FiguresQuery>,
) -> AppResult<web::Json<DemocracyFigures>> {
    let (from, to) = period(&q)?;
    Ok(web::Json(user.in_commune(move |c, commune| figures::figures(c, commune, from, to)).await?))
}

/// Counts across the communes the caller sees (oversight: those it oversees).
#[utoipa::path(
    tag = "democracy",
    params(FiguresQuery),
    responses((status = 200, description = "One line per commune", body = Vec<CommuneDemocracyCounts>))
)]
#[get("/democracy/oversight")]
pub async fn oversight(
    user: Allowed<can::ReadStatistics>,
    q: Query<FiguresQuery>,
) -> AppResult<web::Json<Vec<CommuneDemocracyCounts>>> {
    let (from, to) = period(&q)?;
    let (commune, authority) = (user.caller.commune_id, user.caller.authority_id);
    Ok(web::Json(
        user.run(move |c| {
            let mut out = Vec::new();
            for com in org_repo::visible_communes(c, commune, authority)? {
                let f = figures::figures(c, com.id, from, to)?;
                out.push(CommuneDemocracyCounts {
                    commune_id: com.id,
                    commune_name: com.name,
                    disclosures: f.disclosures.total,
                    with_warnings: f.disclosures.with_warnings,
                    relay_on_time_share: f.disclosures.relay_on_time_share,
                    periodic_overdue: f.disclosures.periodic_overdue,
                    activities: f.activities.held,
                    people_reached: f.activities.people,
                    meetings: f.meetings.held,
                    decisions_due: f.meetings.decisions_due,
                    decisions_done_on_time: f.meetings.decisions_done_on_time,
                    recommendations: f.boards.recommendations,
                    recommendations_answered: f.boards.answered,
                });
            }
            Ok(out)
        })
        .await?,
    ))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_figures).service(oversight);
}

/// Reads a multipart form of the democracy records: the allowed text fields and checked files
/// (JPEG, PNG, WebP or PDF, each within the upload limit, at most 10).
pub async fn read_upload_form(
    state: &AppState,
    form: actix_multipart::Multipart,
    texts: &'static [&'static str],
) -> AppResult<(std::collections::HashMap<String, String>, Vec<crate::democracy::disclosures::model::Upload>)> {
    use crate::democracy::disclosures::service as ds;
    use crate::http::files;
    let cap = state.config.server.max_upload_bytes;
    let budget = files::upload_budget(cap, crate::plans::storage::MAX_FILES_PER_REPORT);
    let parts = files::read_form(form, &state.spool, |n| ds::part_limit(n, cap), budget).await?;
    ds::split_form(parts, texts)
}

/// The installation's blob store for uploaded files (local or S3, `crate::blobs`).
pub fn store(state: &AppState) -> std::sync::Arc<dyn crate::plans::storage::Storage> {
    state.blobs.clone()
}

/// `201 Created` with what `work` recorded for the caller.
pub async fn created<T: serde::Serialize + Send + 'static>(
    user: &AuthUser,
    work: impl FnOnce(&mut DbConnection, &Caller) -> AppResult<T> + Send + 'static,
) -> AppResult<HttpResponse> {
    Ok(HttpResponse::Created().json(user.act(work).await?))
}

/// A page (`page`, `per_page` of the query) of what `work` lists for the caller.
pub async fn paged<T: utoipa::ToSchema + Send + 'static>(
    user: &AuthUser,
    (page, per_page): (Option<i64>, Option<i64>),
    work: impl FnOnce(&mut DbConnection, &Caller, Paging) -> AppResult<(Vec<T>, i64)> + Send + 'static,
) -> AppResult<web::Json<Page<T>>> {
    let paging = Paging::new(page, per_page)?;
    let (items, total) = user.act(move |c, caller| work(c, caller, paging)).await?;
    Ok(web::Json(paging.wrap(items, total)))
}

/// Reads the multipart `files` ([`read_upload_form`]) and hands them with the blob store to
/// `work`: `201 Created` with the record and its files.
pub async fn uploaded<T: serde::Serialize + Send + 'static>(
    user: &AuthUser,
    form: actix_multipart::Multipart,
    work: impl FnOnce(&mut DbConnection, &Caller, Arc<dyn Storage>, Vec<Upload>) -> AppResult<T> + Send + 'static,
) -> AppResult<HttpResponse> {
    let (_, files) = read_upload_form(&user.state, form, &[]).await?;
    let store = store(&user.state);
    created(user, move |c, caller| work(c, caller, store, files)).await
}
