//! CPU-heavy work (password hashing) off the async threads, on the runtime's blocking pool.

use crate::error::{AppError, AppResult};

/// Runs `f` on the blocking pool and waits for it without holding an async thread.
pub async fn run<T: Send + 'static>(f: impl FnOnce() -> AppResult<T> + Send + 'static) -> AppResult<T> {
    tokio::task::spawn_blocking(f).await.map_err(|e| AppError::Internal(format!("blocking task failed: {e}")))?
}
