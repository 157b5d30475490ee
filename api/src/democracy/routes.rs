//! `/api/v1/democracy/figures` (one commune) and `/democracy/oversight` (counts across the
//! communes a caller sees).

use actix_web::{get, web};
use chrono::Datelike;

use super::figures::{self, CommuneDemocracyCounts, DemocracyFigures, FiguresQuery};
use crate::auth::{AuthUser, Permission};
use crate::db::run;
use crate::error::{AppError, AppResult};
use crate::org::repo as org_repo;
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
    responses((status = 200, description = "Figures", body = DemocracyFigures)),
    security(("bearer" = []))
)]
#[get("/democracy/figures")]
pub async fn get_figures(
    user: AuthUser,
    state: web::Data<AppState>,
    q: web::Query<FiguresQuery>,
) -> AppResult<web::Json<DemocracyFigures>> {
    user.require(Permission::ReadDemocracy)?;
    let commune = user.commune()?;
    let (from, to) = period(&q)?;
    Ok(web::Json(run(&state.pool, move |c| figures::figures(c, commune, from, to)).await?))
}

/// Counts across the communes the caller sees (oversight: those it oversees).
#[utoipa::path(
    tag = "democracy",
    params(FiguresQuery),
    responses((status = 200, description = "One line per commune", body = Vec<CommuneDemocracyCounts>)),
    security(("bearer" = []))
)]
#[get("/democracy/oversight")]
pub async fn oversight(
    user: AuthUser,
    state: web::Data<AppState>,
    q: web::Query<FiguresQuery>,
) -> AppResult<web::Json<Vec<CommuneDemocracyCounts>>> {
    user.require(Permission::ReadStatistics)?;
    let (from, to) = period(&q)?;
    let (commune, authority) = (user.caller.commune_id, user.caller.authority_id);
    Ok(web::Json(
        run(&state.pool, move |c| {
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
