//! `GET /api/v1/system/scheduler`, and the loop that ticks the scheduler in each instance.

use std::time::Duration;

use actix_web::{get, web};

use super::model::SchedulerStatus;
use super::service;
use crate::auth::{Allowed, can};
use crate::db::run;
use crate::error::AppResult;
use crate::state::AppState;

/// The background jobs: each one's last run, next run and failures, who holds its lease,
/// and the latest runs (the administrator's system page).
#[utoipa::path(
    tag = "system",
    responses(
        (status = 200, description = "The scheduler's jobs and latest runs", body = SchedulerStatus),
        (status = 403, description = "Not an administrator", body = crate::error::Problem)
    )
)]
#[get("/system/scheduler")]
pub async fn scheduler_status(user: Allowed<can::ManageSettings>) -> AppResult<web::Json<SchedulerStatus>> {
    let config = user.state.config.clone();
    let now = chrono::Utc::now().naive_utc();
    Ok(web::Json(user.run(move |c| service::status(c, &config, now)).await?))
}

pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(scheduler_status);
}

/// Ticks the scheduler now (the start's catch-up) and every `scheduler.tick_secs`, unless
/// `scheduler.enabled` is off. Each instance has its own holder name.
pub fn spawn(state: AppState) {
    if !state.config.scheduler.enabled {
        return;
    }
    let holder = format!("{}-{}", std::process::id(), &uuid::Uuid::new_v4().simple().to_string()[..8]);
    let every = Duration::from_secs(state.config.scheduler.tick_secs.max(1));
    actix_web::rt::spawn(async move {
        let mut tick = actix_web::rt::time::interval(every);
        loop {
            tick.tick().await;
            let (holder, config) = (holder.clone(), state.config.clone());
            let res = run(&state.pool, move |c| {
                let mailer = service::mailer(&config);
                service::tick(c, &config.scheduler, &holder, chrono::Utc::now().naive_utc(), mailer.as_ref())
            })
            .await;
            if let Err(e) = res {
                tracing::warn!(error = %e, "scheduler tick failed");
            }
        }
    });
}
