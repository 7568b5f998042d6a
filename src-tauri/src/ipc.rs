//! What every command shares: the one session, raw JSON answers, and typed events.

use std::marker::PhantomData;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use serde::Serialize;
use switchboard_core::{ErrorKind, ErrorPayload, Session};
use tauri::ipc::{InvokeResponseBody, IpcResponse};
use tauri::{AppHandle, Emitter, Runtime};

/// The one session the window talks to. Commands run on the blocking pool, never on the main
/// (GTK/WebView) thread, so a 10,000-row load or an export cannot freeze the window.
#[derive(Clone)]
pub struct Shared(pub Arc<Mutex<Session>>);

impl Shared {
    pub async fn run<T: Send + 'static>(
        &self,
        command: &'static str,
        call: impl FnOnce(&mut Session) -> Result<T, ErrorPayload> + Send + 'static,
    ) -> Result<T, ErrorPayload> {
        let session = self.0.clone();
        let started = Instant::now();
        let result = tauri::async_runtime::spawn_blocking(move || {
            call(&mut session.lock().unwrap_or_else(PoisonError::into_inner))
        })
        .await
        .unwrap_or_else(|_| Err(internal_error()));
        // Kinds and timings only: messages may carry paths, never log payloads.
        let ms = started.elapsed().as_millis() as u64;
        match &result {
            Ok(_) => tracing::debug!(command, ms, "ok"),
            Err(e) => tracing::debug!(command, ms, kind = ?e.kind, "failed"),
        }
        result
    }
}

/// Only reached if a core call panicked; the session itself stays usable.
fn internal_error() -> ErrorPayload {
    ErrorPayload {
        kind: ErrorKind::Storage,
        message: "Switchboard hit an internal error while using the local cache. Nothing was changed; try again, and restart Switchboard if it persists.".to_owned(),
    }
}

/// JSON the core has already written, passed to the window as it is (no second serialisation).
/// `T` is the type it holds, which the generated TypeScript function returns.
pub struct Json<T>(String, PhantomData<T>);

impl<T> Json<T> {
    pub fn new(json: String) -> Self {
        Json(json, PhantomData)
    }
}

impl<T> IpcResponse for Json<T> {
    fn body(self) -> tauri::Result<InvokeResponseBody> {
        Ok(InvokeResponseBody::Json(self.0))
    }
}

/// An event the shell emits to the window, declared once as a `const` in a commands module; the
/// build script gives the window a typed `on…` listener for each.
pub struct Event<T> {
    name: &'static str,
    payload: PhantomData<fn(&T)>,
}

impl<T: Serialize + Clone> Event<T> {
    pub const fn new(name: &'static str) -> Self {
        Event { name, payload: PhantomData }
    }

    /// Best effort: a window that is closing misses the event, and nothing else depends on it.
    pub fn emit<R: Runtime>(&self, app: &AppHandle<R>, payload: &T) {
        if let Err(e) = app.emit(self.name, payload) {
            tracing::debug!(event = self.name, "not delivered: {e}");
        }
    }
}
