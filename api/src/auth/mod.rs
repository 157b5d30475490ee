//! Authentication and authorisation: passwords, tokens, sessions, the `AuthUser` extractor
//! and the permission table.

pub mod caller;
pub mod mfa;
pub mod password;
pub mod permission;
pub mod repo;
pub mod routes;
pub mod service;
pub mod session_cache;
pub mod throttle;
pub mod tokens;
pub mod totp;

use std::marker::PhantomData;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::FutureExt as _;

pub use caller::Caller;
pub use permission::{Gate, Permission, can, has_permission, role_permissions};

use crate::org::model::Role;

use crate::error::AppError;
use crate::http::{CallerVerdict, RequestMeta};
use crate::state::AppState;

/// The signed-in user of a request, loaded from a verified access token whose session is
/// still alive and whose user is still active — checked on every request, through
/// [`session_cache`] (a live session is re-read from the database at least every 5 s and at
/// once after any revocation or user change in this process). Handlers use it as the
/// [`Caller`] it holds (it dereferences to it) and pass `&user.caller` to services.
/// A request with an API key (`X-API-Key`, or a bearer credential starting `tt_`) is
/// authenticated by `integration::gate` instead, on the endpoints that accept keys.
/// It also carries the application's state, so a handler takes the user and its own input
/// and nothing else.
#[derive(Clone)]
pub struct AuthUser {
    pub caller: Caller,
    pub session_id: String,
    pub meta: RequestMeta,
    pub state: web::Data<AppState>,
}

impl AuthUser {
    /// Runs `work` on a pooled connection ([`crate::db::run`]).
    pub async fn run<T, F>(&self, work: F) -> crate::error::AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut crate::db::DbConnection) -> crate::error::AppResult<T> + Send + 'static,
    {
        crate::db::run(&self.state.pool, work).await
    }

    /// Runs `work` for this caller on a pooled connection — the one way a handler calls a
    /// service that needs to know who acts (the handler has checked the permission).
    pub async fn act<T, F>(&self, work: F) -> crate::error::AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut crate::db::DbConnection, &Caller) -> crate::error::AppResult<T> + Send + 'static,
    {
        let caller = self.caller.clone();
        self.run(move |c| work(c, &caller)).await
    }

    /// Runs `work` on the caller's commune (403 for a caller without one, before
    /// any connection is taken) — for services that need the commune and not who acts.
    pub async fn in_commune<T, F>(&self, work: F) -> crate::error::AppResult<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut crate::db::DbConnection, i64) -> crate::error::AppResult<T> + Send + 'static,
    {
        let commune = self.commune()?;
        self.run(move |c| work(c, commune)).await
    }
}

impl std::fmt::Debug for AuthUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthUser").field("caller", &self.caller).field("session_id", &"…").finish_non_exhaustive()
    }
}

impl std::ops::Deref for AuthUser {
    type Target = Caller;

    fn deref(&self) -> &Caller {
        &self.caller
    }
}

/// The bearer token of a request, if any.
pub fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(actix_web::http::header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_string()).filter(|t| !t.is_empty())
}

impl FromRequest for AuthUser {
    type Error = AppError;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let meta = req.extensions().get::<RequestMeta>().cloned();
        let token = bearer_token(req);
        let api_key = crate::integration::gate::presented_key(req);
        let req = req.clone();
        Box::pin(async move {
            let state = state.ok_or_else(|| AppError::Internal("state missing".into()))?;
            let meta = meta.ok_or_else(|| AppError::Internal("request context missing".into()))?;
            if let Some(key) = api_key {
                // A system's API key (`integration`): a caller with its creator's role, bounded
                // by the key's scopes; no session.
                let caller =
                    crate::integration::gate::caller_for_key(&req, key, meta.request_id.clone(), meta.ip.clone())
                        .await?;
                return Ok(AuthUser { caller, session_id: String::new(), meta, state });
            }
            let token = token.ok_or(AppError::Unauthenticated)?;
            let claims = state.keys.verify(&token).ok_or(AppError::Unauthenticated)?;
            let user_id: i64 = claims.sub.parse().map_err(|_| AppError::Unauthenticated)?;
            let now = chrono::Utc::now().naive_utc();
            let row = match state.sessions.get(&claims.sid, user_id, now) {
                Some(hit) => hit,
                None => {
                    let generation = session_cache::generation();
                    let sid = claims.sid.clone();
                    let found =
                        crate::db::run(&state.pool, move |c| Ok(repo::live_session_user(c, &sid, user_id, now)?))
                            .await?
                            .ok_or(AppError::Unauthenticated)?;
                    state.sessions.put(&claims.sid, found.clone(), generation);
                    found
                }
            };
            let role = Role::parse(&row.role).ok_or(AppError::Unauthenticated)?;
            let caller = Caller {
                id: row.id,
                username: row.username,
                full_name: row.full_name,
                role,
                commune_id: row.commune_id,
                unit_id: row.unit_id,
                authority_id: row.authority_id,
                request_id: meta.request_id.clone(),
                ip: meta.ip.clone(),
                key: None,
            };
            Ok(AuthUser { caller, session_id: claims.sid, meta, state })
        })
    }
}

/// The signed-in user, admitted only if its role (and its key's scopes, for an API key) passes
/// the gate `G`: a handler that takes `user: Allowed<can::EditPlans>` has checked that permission.
/// As an extractor it comes before the body and the query, so a caller without the permission
/// is refused 403 whatever it sent, and is never told what its body lacked. It dereferences to
/// the [`AuthUser`].
pub struct Allowed<G: Gate> {
    user: AuthUser,
    gate: PhantomData<G>,
}

impl<G: Gate> Allowed<G> {
    /// The user, for a helper that takes it by value.
    pub fn into_inner(self) -> AuthUser {
        self.user
    }
}

impl<G: Gate> std::ops::Deref for Allowed<G> {
    type Target = AuthUser;

    fn deref(&self) -> &AuthUser {
        &self.user
    }
}

impl<G: Gate> std::fmt::Debug for Allowed<G> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Allowed").field(&std::any::type_name::<G>()).field(&self.user).finish()
    }
}

impl<G: Gate + 'static> FromRequest for Allowed<G> {
    type Error = AppError;
    type Future = futures_util::future::LocalBoxFuture<'static, Result<Self, AppError>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let user = AuthUser::from_request(req, payload);
        let admitted = async move {
            let user = user.await?;
            if G::admits(&|p| user.may(p)) { Ok(user) } else { Err(AppError::Forbidden) }
        }
        .boxed_local()
        .shared();
        // The body and the query wait for this verdict before they report an error of their own.
        let verdict = admitted.clone().map(|admitted| admitted.map(|_| ())).boxed_local().shared();
        req.extensions_mut().insert(CallerVerdict(verdict));
        Box::pin(async move { admitted.await.map(|user| Allowed { user, gate: PhantomData }) })
    }
}
