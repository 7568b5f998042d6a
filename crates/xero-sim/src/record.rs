//! A log of every answer the simulator sent, for tests that check those answers against Xero's
//! published API descriptions. Off unless [`crate::SimConfig::record_responses`] is set: keeping
//! every body costs memory a long demo or benchmark should not pay.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::Response;
use std::sync::{Arc, Mutex};

/// One answer as the client received it (after any fault changed it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordedResponse {
    pub method: String,
    /// The simulator's path, without the query (e.g. `/api/api.xro/2.0/Organisation`).
    pub path: String,
    /// The request's `xero-tenant-id`, if any (Payroll NZ and UK share one path).
    pub tenant: Option<String>,
    pub status: u16,
    /// `None` when the answer has no `Content-Type`.
    pub content_type: Option<String>,
    pub body: Vec<u8>,
}

/// Where recorded answers accumulate until a test takes them.
#[derive(Default)]
pub(crate) struct Recorder(Mutex<Vec<RecordedResponse>>);

impl Recorder {
    pub(crate) fn take(&self) -> Vec<RecordedResponse> {
        std::mem::take(&mut *self.0.lock().expect("recorder"))
    }
}

/// Middleware: buffer each answer's body, keep a copy, and send it on unchanged.
pub(crate) async fn record_layer(State(recorder): State<Arc<Recorder>>, req: Request, next: Next) -> Response {
    let method = req.method().to_string();
    let path = req.uri().path().to_owned();
    let tenant = req.headers().get("xero-tenant-id").and_then(|v| v.to_str().ok()).map(str::to_owned);
    let response = next.run(req).await;
    if path.starts_with("/_sim") {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    recorder.0.lock().expect("recorder").push(RecordedResponse {
        method,
        path,
        tenant,
        status: parts.status.as_u16(),
        content_type,
        body: bytes.to_vec(),
    });
    Response::from_parts(parts, Body::from(bytes))
}
