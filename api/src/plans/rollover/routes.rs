//! `POST /api/v1/plans/{id}/roll-over`, `GET /api/v1/plans/{id}/lineage`.

use actix_web::{HttpResponse, get, post, web};

use super::model::*;
use super::service;
use crate::auth::{Allowed, can};
use crate::error::AppResult;
use crate::http::{JsonBody, Path};

/// Rolls a plan over to a later year (default the next): areas, steps and tasks with their
/// units and weights are copied into a new draft plan, dates shifted by the years and moved
/// off the commune's days off (a start to the next working day, a deadline to the one
/// before); progress and reports stay behind and the old plan is closed (read-only). The
/// unfinished tasks listed in `carry_over_task_ids` are linked to their copies.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = RollOverPlan,
    responses(
        (status = 201, description = "The new draft plan", body = RollOverResult),
        (status = 404, description = "No such plan in the caller's commune", body = crate::error::Problem),
        (status = 409, description = "`plan_already_rolled_over`: the plan was rolled over before", body = crate::error::Problem),
        (status = 422, description = "A year not after the plan's, or a task to carry over that is finished or not in the plan", body = crate::error::Problem)
    )
)]
#[post("/plans/{id}/roll-over")]
pub async fn plan_roll_over(
    user: Allowed<can::EditPlans>,
    id: Path<i64>,
    body: JsonBody<RollOverPlan>,
) -> AppResult<HttpResponse> {
    let actor = user.actor();
    let result =
        user.in_commune(move |c, commune| service::roll_over(c, &actor, commune, id.into_inner(), body.0)).await?;
    Ok(HttpResponse::Created().json(result))
}

/// Where a plan was rolled over from and into, and which of its tasks continue a task of the
/// earlier plan.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    responses(
        (status = 200, description = "The plan's lineage", body = PlanLineage),
        (status = 404, description = "No such plan in the caller's commune", body = crate::error::Problem)
    )
)]
#[get("/plans/{id}/lineage")]
pub async fn plan_lineage(user: Allowed<can::ReadPlans>, id: Path<i64>) -> AppResult<web::Json<PlanLineage>> {
    Ok(web::Json(user.in_commune(move |c, commune| service::lineage(c, commune, id.into_inner())).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(plan_roll_over).service(plan_lineage);
}
