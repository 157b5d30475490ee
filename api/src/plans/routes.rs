//! `/api/v1/plans…`, `/areas/{id}`, `/steps/{id}`, `/tasks…`, `/attachments/{id}`.

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};

use super::export;
use super::import::{self, PlanDocument};
use super::model::*;

use super::service;
use super::storage;
use crate::auth::{Allowed, AuthUser, Gate, Permission, can};
use crate::db::run;
use crate::error::{AppError, AppResult};
use crate::http::files::{
    PartBody, csv_download, read_body, read_form, read_multipart, send_stored, take_client_id, upload_budget,
    xlsx_download,
};
use crate::http::idempotency::{IdempotencyKey, once};
use crate::http::{JsonBody, Page, Paging, Path, Query, json_response, media_type};
use crate::tabular::Cell;

async fn detail(user: &AuthUser, id: i64) -> AppResult<PlanDetail> {
    user.act(move |c, caller| service::plan_detail(c, caller, id)).await
}

/// Plans of the caller's commune with their progress.
#[utoipa::path(
    tag = "plans",
    params(PlanFilter),
    responses((status = 200, description = "A page of plans", body = Page<Plan>))
)]
#[get("/plans")]
pub async fn list_plans(user: Allowed<can::ReadPlans>, q: Query<PlanFilter>) -> AppResult<web::Json<Page<Plan>>> {
    let paging = Paging::new(q.page, q.per_page)?;
    let f = q.into_inner();
    Ok(web::Json(user.in_commune(move |c, commune| service::list_plans(c, commune, &f, paging)).await?))
}

/// Creates a plan (status draft unless given).
#[utoipa::path(
    tag = "plans",
    request_body = CreatePlan,
    responses((status = 201, description = "Created", body = PlanDetail))
)]
#[post("/plans")]
pub async fn create_plan(user: Allowed<can::EditPlans>, body: JsonBody<CreatePlan>) -> AppResult<HttpResponse> {
    let actor = user.actor();
    let row = user.in_commune(move |c, commune| service::create_plan(c, &actor, commune, body.0)).await?;
    Ok(HttpResponse::Created().json(detail(&user, row.id).await?))
}

/// Imports a plan document (the JSON shape of `plan-2023.json`): areas, steps, section IV
/// unit duties and one task per actionable item, lead units from section IV.
#[utoipa::path(
    tag = "plans",
    request_body = PlanDocument,
    responses((status = 201, description = "Imported; the new plan", body = PlanDetail))
)]
#[post("/plans/import")]
pub async fn import_plan(user: Allowed<can::EditPlans>, body: JsonBody<PlanDocument>) -> AppResult<HttpResponse> {
    let actor = user.actor();
    let imported =
        user.in_commune(move |c, commune| import::import_plan(c, &actor, commune, &body.0, PlanStatus::Active)).await?;
    Ok(HttpResponse::Created().json(detail(&user, imported.plan.id).await?))
}

/// A plan's overview: header, content areas and steps with progress, unit duties, and the
/// roll-up (tasks by status, overdue and due-soon tasks). Village users see the whole
/// overview but only their own village's tasks in the lists.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    responses((status = 200, description = "The plan", body = PlanDetail))
)]
#[get("/plans/{id}")]
pub async fn get_plan(user: Allowed<can::ReadPlans>, id: Path<i64>) -> AppResult<HttpResponse> {
    let (id, cache) = (id.into_inner(), user.state.reads.clone());
    let json = user.act(move |c, caller| service::plan_detail_json(c, &cache, caller, id)).await?;
    Ok(json_response(json))
}

/// Changes a plan's header or status (draft → active → closed, and closed → active to reopen;
/// any other change of status answers 409 `invalid_plan_status`).
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = UpdatePlan,
    responses(
        (status = 200, description = "Updated", body = PlanDetail),
        (status = 409, description = "`invalid_plan_status`: not a permitted change of status", body = crate::error::Problem)
    )
)]
#[patch("/plans/{id}")]
pub async fn update_plan(
    user: Allowed<can::EditPlans>,
    id: Path<i64>,
    body: JsonBody<UpdatePlan>,
) -> AppResult<web::Json<PlanDetail>> {
    let (actor, id) = (user.actor(), id.into_inner());
    user.in_commune(move |c, commune| service::update_plan(c, &actor, commune, id, body.0)).await?;
    Ok(web::Json(detail(&user, id).await?))
}

async fn area_with_progress(user: &AuthUser, a: AreaRow) -> AppResult<ContentArea> {
    let d = detail(user, a.plan_id).await?;
    Ok(d.content_areas.into_iter().find(|x| x.id == a.id).unwrap_or_else(|| ContentArea::from_row(a, 0.0, 0)))
}

/// Adds a content area to a plan.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = CreateArea,
    responses(
        (status = 201, description = "Created", body = ContentArea),
        (status = 409, description = "`plan_closed`: the plan is closed (read-only until reopened)", body = crate::error::Problem),
    )
)]
#[post("/plans/{id}/areas")]
pub async fn create_area(
    user: Allowed<can::EditPlans>,
    id: Path<i64>,
    body: JsonBody<CreateArea>,
) -> AppResult<HttpResponse> {
    let (actor, id) = (user.actor(), id.into_inner());
    let row = user.in_commune(move |c, commune| service::create_area(c, &actor, commune, id, body.0)).await?;
    Ok(HttpResponse::Created().json(area_with_progress(&user, row).await?))
}

/// Changes, reweights or moves a content area (`position` reorders).
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Content area id")),
    request_body = UpdateArea,
    responses(
        (status = 200, description = "Updated", body = ContentArea),
        (status = 409, description = "`plan_closed`: the plan is closed (read-only until reopened)", body = crate::error::Problem),
    )
)]
#[patch("/areas/{id}")]
pub async fn update_area(
    user: Allowed<can::EditPlans>,
    id: Path<i64>,
    body: JsonBody<UpdateArea>,
) -> AppResult<web::Json<ContentArea>> {
    let (actor, id) = (user.actor(), id.into_inner());
    let row = user.in_commune(move |c, commune| service::update_area(c, &actor, commune, id, body.0)).await?;
    Ok(web::Json(area_with_progress(&user, row).await?))
}

async fn step_with_progress(user: &AuthUser, plan_id: i64, id: i64) -> AppResult<Step> {
    let d = detail(user, plan_id).await?;
    d.steps.into_iter().find(|s| s.id == id).ok_or(AppError::NotFound)
}

/// Adds a step to a plan's timeline.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = CreateStep,
    responses(
        (status = 201, description = "Created", body = Step),
        (status = 409, description = "`plan_closed`: the plan is closed (read-only until reopened)", body = crate::error::Problem),
    )
)]
#[post("/plans/{id}/steps")]
pub async fn create_step(
    user: Allowed<can::EditPlans>,
    id: Path<i64>,
    body: JsonBody<CreateStep>,
) -> AppResult<HttpResponse> {
    let (actor, id) = (user.actor(), id.into_inner());
    let row = user.in_commune(move |c, commune| service::create_step(c, &actor, commune, id, body.0)).await?;
    Ok(HttpResponse::Created().json(step_with_progress(&user, row.plan_id, row.id).await?))
}

/// Changes, re-dates or moves a step.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Step id")),
    request_body = UpdateStep,
    responses(
        (status = 200, description = "Updated", body = Step),
        (status = 409, description = "`plan_closed`: the plan is closed (read-only until reopened)", body = crate::error::Problem),
    )
)]
#[patch("/steps/{id}")]
pub async fn update_step(
    user: Allowed<can::EditPlans>,
    id: Path<i64>,
    body: JsonBody<UpdateStep>,
) -> AppResult<web::Json<Step>> {
    let (actor, id) = (user.actor(), id.into_inner());
    let row = user.in_commune(move |c, commune| service::update_step(c, &actor, commune, id, body.0)).await?;
    Ok(web::Json(step_with_progress(&user, row.plan_id, row.id).await?))
}

/// Tasks of a plan, filtered, searched (diacritic-insensitive) and sorted. Village users get
/// only the tasks their village leads or supports.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id"), TaskFilter),
    responses((status = 200, description = "A page of tasks", body = Page<Task>))
)]
#[get("/plans/{id}/tasks")]
pub async fn list_tasks(user: Allowed<can::ReadPlans>, id: Path<i64>, q: Query<TaskFilter>) -> AppResult<HttpResponse> {
    let paging = Paging::new(q.page, q.per_page)?;
    let (f, id, cache, scope) = (q.into_inner(), id.into_inner(), user.state.reads.clone(), user.unit_scope());
    let json =
        user.act(move |c, caller| service::plan_task_page_json(c, &cache, caller, id, scope, &f, paging)).await?;
    Ok(json_response(json))
}

/// Adds a task to a plan.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    request_body = CreateTask,
    responses(
        (status = 201, description = "Created", body = Task),
        (status = 409, description = "`plan_closed`: the plan is closed (read-only until reopened)", body = crate::error::Problem),
    )
)]
#[post("/plans/{id}/tasks")]
pub async fn create_task(
    user: Allowed<can::EditPlans>,
    id: Path<i64>,
    body: JsonBody<CreateTask>,
) -> AppResult<HttpResponse> {
    let (actor, id) = (user.actor(), id.into_inner());
    let task = user
        .in_commune(move |c, commune| {
            let row = service::create_task(c, &actor, commune, id, body.0)?;
            service::task_views(c, vec![row], crate::time::today_local())?.into_iter().next().ok_or(AppError::NotFound)
        })
        .await?;
    Ok(HttpResponse::Created().json(task))
}

/// Tasks of every active plan of the commune, filtered, searched and sorted like a plan's list
/// (default: by due date). Village users get only the tasks their village leads or supports.
/// Where the home's late-task figures lead when more than one plan is active.
#[utoipa::path(
    tag = "plans",
    params(TaskFilter),
    responses((status = 200, description = "A page of tasks", body = Page<Task>))
)]
#[get("/tasks")]
pub async fn active_tasks(user: Allowed<can::ReadPlans>, q: Query<TaskFilter>) -> AppResult<web::Json<Page<Task>>> {
    let (f, scope) = (q.into_inner(), user.unit_scope());
    Ok(web::Json(user.act(move |c, caller| service::active_task_page(c, caller, scope, f)).await?))
}

/// My unit's tasks in the commune's active plans (lead or supporting) — the village phone list.
#[utoipa::path(
    tag = "plans",
    params(TaskFilter),
    responses((status = 200, description = "A page of tasks", body = Page<Task>))
)]
#[get("/tasks/mine")]
pub async fn my_tasks(user: Allowed<can::ReadPlans>, q: Query<TaskFilter>) -> AppResult<web::Json<Page<Task>>> {
    let (f, scope) = (q.into_inner(), Some(user.unit_id.unwrap_or(-1)));
    Ok(web::Json(user.act(move |c, caller| service::active_task_page(c, caller, scope, f)).await?))
}

/// A task with its progress reports, comments and history.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, description = "The task", body = TaskDetail))
)]
#[get("/tasks/{id}")]
pub async fn get_task(user: Allowed<can::ReadPlans>, id: Path<i64>) -> AppResult<web::Json<TaskDetail>> {
    Ok(web::Json(user.act(move |c, caller| service::task_detail(c, caller, id.into_inner())).await?))
}

/// Who may change a task at all: a reader of plans who edits them or reports on tasks (which
/// fields each may change, the service decides).
pub struct ChangeTasks;

impl Gate for ChangeTasks {
    fn admits(may: &dyn Fn(Permission) -> bool) -> bool {
        may(Permission::ReadPlans) && (may(Permission::EditPlans) || may(Permission::ReportTasks))
    }
}

/// Changes a task. Board and admin change anything; a reporting unit changes only `status`
/// and `progress` of tasks it leads or supports.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Task id")),
    request_body = UpdateTask,
    responses(
        (status = 200, description = "Updated", body = TaskDetail),
        (status = 409, description = "`task_cancel_board_only`: only a plan editor cancels a task or reopens a cancelled one", body = crate::error::Problem),
    )
)]
#[patch("/tasks/{id}")]
pub async fn update_task(
    user: Allowed<ChangeTasks>,
    id: Path<i64>,
    body: JsonBody<UpdateTask>,
) -> AppResult<web::Json<TaskDetail>> {
    let id = id.into_inner();
    let d = user
        .act(move |c, caller| {
            service::update_task(c, caller, id, body.0)?;
            service::task_detail(c, caller, id)
        })
        .await?;
    Ok(web::Json(d))
}

/// Progress reports of a task, newest first, with their evidence.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, description = "Reports", body = Vec<ProgressReport>))
)]
#[get("/tasks/{id}/reports")]
pub async fn list_reports(user: Allowed<can::ReadPlans>, id: Path<i64>) -> AppResult<web::Json<Vec<ProgressReport>>> {
    Ok(web::Json(user.act(move |c, caller| service::list_reports(c, caller, id.into_inner())).await?))
}

/// Posts a progress report (multipart: `text`, `progress` 0–100, zero or more `files` —
/// JPEG, PNG, WebP or PDF checked by content, each within the upload limit). Sets the task's
/// progress (100 = done). Only for units that lead or support the task, and the board.
#[utoipa::path(
    tag = "plans",
    params(
        ("id" = i64, Path, description = "Task id"),
        ("Idempotency-Key" = Option<String>, Header, description = "The phone's id of this write (1–100 of A–Z a–z 0–9 - _ : .): the same key again returns the first answer and creates nothing (docs/offline.md)"),
    ),
    request_body(content = inline(ReportForm), content_type = "multipart/form-data"),
    responses(
        (status = 201, description = "Report stored, or the first answer to this idempotency key again (header `Idempotent-Replayed: true`)", body = ProgressReport),
        (status = 422, description = "Invalid field, or a malformed idempotency key", body = crate::error::Problem),
        (status = 413, description = "A file exceeds the upload limit (`payload_too_large`)", body = crate::error::Problem),
        (status = 415, description = "A file is not JPEG, PNG, WebP or PDF (`unsupported_media_type`)", body = crate::error::Problem),
        (status = 409, description = "`task_cancelled`: a cancelled task takes no report; `idempotency_key_reused`: the key belongs to another request; `idempotency_in_progress`: a request with this key is still working", body = crate::error::Problem),
        (status = 503, description = "`uploads_busy`: the uploads in flight fill the server's budget; nothing was kept, retry after `Retry-After` seconds", body = crate::error::Problem),
        (status = 507, description = "`storage_full`: the server's disk is full; nothing was kept", body = crate::error::Problem),
    )
)]
#[post("/tasks/{id}/reports")]
pub async fn create_report(
    user: Allowed<can::ReportTasks>,
    id: Path<i64>,
    key: IdempotencyKey,
    req: HttpRequest,
    form: Multipart,
) -> AppResult<HttpResponse> {
    let caller = user.caller.clone();
    let cap = user.state.config.server.max_upload_bytes;
    let budget = upload_budget(cap, storage::MAX_FILES_PER_REPORT);
    let parts = read_form(form, &user.state.spool, |name| service::report_part_limit(name, cap), budget).await?;
    let (client_id, fields) = take_client_id(parts)?;
    let key = key.or_client_id(client_id)?;
    let input = service::check_report_form(fields)?;
    let store = user.state.blobs.clone();
    let pool = user.state.pool.clone();
    once(&user.state.pool, user.id, key, &req, StatusCode::CREATED, async move {
        run(&pool, move |c| service::add_report(c, &caller, store, id.into_inner(), input)).await
    })
    .await
}

/// Comments on a task, oldest first.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Task id")),
    responses((status = 200, description = "Comments", body = Vec<Comment>))
)]
#[get("/tasks/{id}/comments")]
pub async fn list_comments(user: Allowed<can::ReadPlans>, id: Path<i64>) -> AppResult<web::Json<Vec<Comment>>> {
    Ok(web::Json(user.act(move |c, caller| service::list_comments(c, caller, id.into_inner())).await?))
}

/// Comments on a task the caller may read. A phone that queued the comment with no network
/// sends it with its `Idempotency-Key`: sent again, it returns the first comment.
#[utoipa::path(
    tag = "plans",
    params(
        ("id" = i64, Path, description = "Task id"),
        ("Idempotency-Key" = Option<String>, Header, description = "The phone's id of this write (1–100 of A–Z a–z 0–9 - _ : .): the same key again returns the first answer and creates nothing (docs/offline.md)"),
    ),
    request_body = CreateComment,
    responses(
        (status = 201, description = "Created, or the first answer to this idempotency key again (header `Idempotent-Replayed: true`)", body = Comment),
        (status = 409, description = "`plan_closed`: the plan is closed (read-only until reopened); `idempotency_key_reused`, `idempotency_in_progress`", body = crate::error::Problem),
    )
)]
#[post("/tasks/{id}/comments")]
pub async fn create_comment(
    user: Allowed<can::ReadPlans>,
    id: Path<i64>,
    key: IdempotencyKey,
    req: HttpRequest,
    body: JsonBody<CreateComment>,
) -> AppResult<HttpResponse> {
    let (caller, pool) = (user.caller.clone(), user.state.pool.clone());
    once(&user.state.pool, user.id, key.0, &req, StatusCode::CREATED, async move {
        run(&pool, move |c| service::add_comment(c, &caller, id.into_inner(), body.0)).await
    })
    .await
}

/// An evidence file, only for users who may read its task (404 otherwise).
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Attachment id")),
    responses((status = 200, description = "The file (JPEG, PNG, WebP or PDF)", content((Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "image/webp"), (Vec<u8> = "application/pdf"))))
)]
#[get("/attachments/{id}")]
pub async fn get_attachment(user: Allowed<can::ReadPlans>, id: Path<i64>, req: HttpRequest) -> AppResult<HttpResponse> {
    // Scope is checked on every request, revalidations included.
    let row = user.act(move |c, caller| service::attachment(c, caller, id.into_inner())).await?;
    // `no-cache`: a shared phone must not hand one user's evidence to the next from its cache.
    send_stored(user.state.blobs.clone(), &row.sha256, &row.file_name, &row.content_type, &req, "private, no-cache")
        .await
}

async fn export_table(
    user: &Allowed<can::ReadPlans>,
    id: i64,
    lang: ExportLang,
) -> AppResult<(PlanRow, Vec<Vec<Cell>>)> {
    user.act(move |c, caller| export::task_table(c, caller, id, lang)).await
}

/// The plan's tasks as CSV (UTF-8 with BOM).
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id"), ExportQuery),
    responses((status = 200, description = "CSV file", content_type = "text/csv", body = String))
)]
#[get("/plans/{id}/export.csv")]
pub async fn export_csv(
    user: Allowed<can::ReadPlans>,
    id: Path<i64>,
    q: Query<ExportQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let lang = q.lang.unwrap_or_default();
    let (_, table) = export_table(&user, id, lang).await?;
    Ok(csv_download(&format!("ke-hoach-{id}.csv"), &table))
}

/// The plan's tasks as an XLSX workbook.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id"), ExportQuery),
    responses((status = 200, description = "XLSX file", content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>))
)]
#[get("/plans/{id}/export.xlsx")]
pub async fn export_xlsx(
    user: Allowed<can::ReadPlans>,
    id: Path<i64>,
    q: Query<ExportQuery>,
) -> AppResult<HttpResponse> {
    let id = id.into_inner();
    let lang = q.lang.unwrap_or_default();
    let (_, table) = export_table(&user, id, lang).await?;
    Ok(xlsx_download(&format!("ke-hoach-{id}.xlsx"), if lang == ExportLang::En { "Tasks" } else { "Nhiệm vụ" }, &table))
}

/// Bulk progress update from CSV (columns: task id, status, progress, note; header optional),
/// as `text/csv` or a multipart `file`. Every row is validated; one bad row and nothing is
/// applied — the answer lists each bad row as `rows[<line>].<column>`.
#[utoipa::path(
    tag = "plans",
    params(("id" = i64, Path, description = "Plan id")),
    request_body(content((inline(BulkForm) = "multipart/form-data"), (String = "text/csv"))),
    responses(
        (status = 200, description = "All rows applied", body = BulkResult),
        (status = 409, description = "`plan_closed`: the plan is closed (read-only until reopened)", body = crate::error::Problem),
    )
)]
#[post("/plans/{id}/bulk-progress")]
pub async fn bulk_progress(
    user: Allowed<can::EditPlans>,
    id: Path<i64>,
    req: HttpRequest,
    payload: web::Payload,
) -> AppResult<web::Json<BulkResult>> {
    let ct = media_type(&req);
    let bytes = if ct == "multipart/form-data" {
        let form = Multipart::new(req.headers(), payload);
        let parts =
            read_multipart(form, &user.state.spool, |_| export::MAX_BULK_BYTES, export::MAX_BULK_BYTES + 64 * 1024)
                .await?;
        let mut file = None;
        for part in parts {
            if part.name != "file" {
                return Err(AppError::field(&part.name, "unknown_field", "Trường này không được phép gửi."));
            }
            file = Some(part.body);
        }
        match file.ok_or_else(|| AppError::field("file", "required", "Cần tệp CSV."))? {
            PartBody::TooLarge => return Err(AppError::PayloadTooLarge),
            PartBody::Bytes(bytes) => bytes,
            PartBody::File(f) => web::block(move || f.read_all()).await?.map_err(|e| AppError::io("upload", e))?,
        }
    } else if matches!(ct.as_str(), "text/csv" | "text/plain" | "application/csv") {
        read_body(payload, export::MAX_BULK_BYTES).await?
    } else {
        return Err(AppError::UnsupportedMediaType);
    };
    let text = String::from_utf8(bytes)
        .map_err(|_| AppError::field("file", "invalid_format", "Tệp CSV phải mã hóa UTF-8."))?;
    Ok(web::Json(user.act(move |c, caller| export::apply_bulk(c, caller, id.into_inner(), &text)).await?))
}

/// Registers the routes (`tasks/mine` before `tasks/{id}`).
pub fn configure(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list_plans)
        .service(create_plan)
        .service(import_plan)
        .service(get_plan)
        .service(update_plan)
        .service(create_area)
        .service(update_area)
        .service(create_step)
        .service(update_step)
        .service(list_tasks)
        .service(create_task)
        .service(export_csv)
        .service(export_xlsx)
        .service(bulk_progress)
        .service(active_tasks)
        .service(my_tasks)
        .service(get_task)
        .service(update_task)
        .service(list_reports)
        .service(create_report)
        .service(list_comments)
        .service(create_comment)
        .service(get_attachment);
}
