//! The HTTP server: routes, the fault layer, a hand-rolled accept loop (so a fault can drop a
//! connection without answering), and the [`SimHandle`] tests drive.

use crate::api::{self, ExtraDelay};
use crate::clock::Clock;
use crate::config::{AutoConsent, SimConfig};
use crate::data::{Organisation, StaffUser, generate};
use crate::faults::{FaultKind, Faults};
use crate::record::{RecordedResponse, Recorder};
use crate::state::{Shared, StatsSnapshot};
use crate::{admin, identity, reports};
use axum::Router;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{delete, get, post};
use hyper_util::rt::TokioIo;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;
use tokio::sync::{Notify, watch};
use tokio::task::{JoinHandle, JoinSet};
use tower_service::Service;
use uuid::Uuid;

/// Errors starting the simulator.
#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("could not listen on 127.0.0.1:{port}: {source}")]
    Bind { port: u16, source: std::io::Error },
    #[error("the simulator needs at least one registered client")]
    NoClients,
    #[error("the TLS certificate or key cannot be used: {0}")]
    Tls(String),
}

/// Lets a handler close its own TCP connection without answering.
#[derive(Clone)]
pub(crate) struct ConnKill(pub Arc<Notify>);

const TENANT_PATHS: [&str; 4] = ["/api/api.xro/", "/api/payroll.xro/", "/api/assets.xro/", "/api/practicemanager/"];

fn server_error(status: u16) -> Response {
    if status == 400 {
        // Xero's 400 is a validation error in the Accounting API's shape, not a problem body.
        return reports::validation("The request could not be processed");
    }
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let (title, detail) = match status.as_u16() {
        503 => ("Service Unavailable", "The Xero API is temporarily unavailable. Please try again later."),
        502 => ("Bad Gateway", "Bad Gateway"),
        504 => ("Gateway Timeout", "Gateway Timeout"),
        _ => (
            "An error occurred",
            "An error occurred in Xero. Check the API Status page http://status.developer.xero.com for current service status.",
        ),
    };
    (status, [(header::CONTENT_TYPE, api::JSON)], crate::render::problem_json(title, status.as_u16(), detail))
        .into_response()
}

/// A sign-in page of the kind a network or proxy puts in front of every address.
fn web_page(status: u16) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::OK);
    let page = "<!DOCTYPE html><html><head><title>Sign in to continue</title></head>\
        <body><form method=\"post\"><input name=\"user\"><input type=\"password\" name=\"pass\"></form></body></html>";
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

/// `bytes` of spaces in 64 KB chunks, each made when the client is ready for it.
fn huge_body(bytes: u64) -> Response {
    const CHUNK: usize = 64 * 1024;
    static SPACES: [u8; CHUNK] = [b' '; CHUNK];
    let chunks = futures::stream::unfold(bytes, |left| async move {
        if left == 0 {
            return None;
        }
        let n = left.min(CHUNK as u64) as usize;
        Some((Ok::<_, std::io::Error>(axum::body::Bytes::from_static(&SPACES[..n])), left - n as u64))
    });
    (StatusCode::OK, [(header::CONTENT_TYPE, api::JSON)], axum::body::Body::from_stream(chunks)).into_response()
}

async fn fault_layer(State(s): State<Arc<Shared>>, mut req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if path.starts_with("/_sim") {
        return next.run(req).await;
    }
    let tenant =
        req.headers().get("xero-tenant-id").and_then(|v| v.to_str().ok()).and_then(|v| Uuid::parse_str(v.trim()).ok());
    let fired = s.faults.fire(&path, tenant);
    let conn_kill = req.extensions().get::<ConnKill>().cloned();
    let mut extra = Duration::ZERO;
    let mut malformed = false;
    let mut lose = false;
    let mut early: Option<Response> = None;
    for f in &fired {
        match f {
            FaultKind::Reset => {
                if let Some(kill) = req.extensions().get::<ConnKill>() {
                    kill.0.notify_one();
                    std::future::pending::<()>().await;
                }
                return StatusCode::BAD_GATEWAY.into_response();
            }
            FaultKind::Slow { delay_ms } => extra += Duration::from_millis(*delay_ms),
            FaultKind::Malformed => malformed = true,
            FaultKind::LoseResponse => lose = true,
            FaultKind::RateLimitStorm { retry_after_secs } => {
                if early.is_none() {
                    let mut r = api::too_many("minute", *retry_after_secs);
                    let h = r.headers_mut();
                    h.insert("X-MinLimit-Remaining", HeaderValue::from(0));
                    early = Some(r);
                }
            }
            FaultKind::ServerError { status } => {
                if early.is_none() {
                    early = Some(server_error(*status));
                }
            }
            FaultKind::RateLimited { problem, retry_after_secs } => {
                if early.is_none() {
                    early = Some(api::too_many(problem, *retry_after_secs));
                }
            }
            FaultKind::WebPage { status } => {
                if early.is_none() {
                    early = Some(web_page(*status));
                }
            }
            FaultKind::HugeBody { bytes } => {
                if early.is_none() {
                    early = Some(huge_body(*bytes));
                }
            }
        }
    }
    let is_tenant_path = TENANT_PATHS.iter().any(|p| path.starts_with(p));
    if let Some(r) = early {
        tokio::time::sleep(s.faults.sample_latency() + extra).await;
        return r;
    }
    let resp = if is_tenant_path {
        // latency (and a Slow fault) is served inside the rate limiter's concurrency slot
        req.extensions_mut().insert(ExtraDelay(extra));
        next.run(req).await
    } else {
        tokio::time::sleep(s.faults.sample_latency() + extra).await;
        next.run(req).await
    };
    if lose && let Some(kill) = conn_kill {
        drop(resp);
        kill.0.notify_one();
        std::future::pending::<()>().await;
        return StatusCode::BAD_GATEWAY.into_response(); // not reached: the connection is gone
    }
    if !malformed {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX).await.unwrap_or_default();
    let cut = bytes.len() / 2;
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, axum::body::Body::from(bytes.slice(..cut)))
}

/// Counts the body bytes of every API answer as it leaves (outside the fault layer, so a cut
/// body counts what was sent): Xero bills egress, and tests compare the app's count with this.
/// Counted chunk by chunk as they are sent, so an endless body is never gathered here.
async fn count_bytes(State(s): State<Arc<Shared>>, req: Request, next: Next) -> Response {
    use futures::StreamExt;
    if !req.uri().path().starts_with("/api/") {
        return next.run(req).await;
    }
    let (parts, body) = next.run(req).await.into_parts();
    let counted = body.into_data_stream().inspect(move |chunk| {
        if let Ok(chunk) = chunk {
            s.stats.api_bytes_served.fetch_add(chunk.len() as u64, std::sync::atomic::Ordering::Relaxed);
        }
    });
    Response::from_parts(parts, axum::body::Body::from_stream(counted))
}

async fn index(State(s): State<Arc<Shared>>) -> Response {
    let base = s.base_url.lock().expect("base url").clone();
    let text = format!("xero-sim: a simulated Xero\n\n{}\n", crate::endpoint_lines(&base).join("\n"));
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response()
}

fn router(shared: Arc<Shared>, recorder: Option<Arc<Recorder>>) -> Router {
    let mut xero = Router::new()
        .route("/login/identity/connect/authorize", get(identity::authorize))
        .route("/login/identity/connect/consent", post(identity::consent))
        .route("/identity/connect/authorize", get(identity::authorize))
        .route("/identity/connect/consent", post(identity::consent))
        .route("/identity/connect/token", post(identity::token))
        .route("/identity/connect/revocation", post(identity::revocation))
        .route("/identity/connect/userinfo", get(identity::userinfo))
        .route("/identity/.well-known/openid-configuration", get(identity::discovery))
        .route("/identity/.well-known/openid-configuration/jwks", get(identity::jwks))
        .route("/api/connections", get(api::connections))
        .route("/api/Connections", get(api::connections))
        .route("/api/connections/{id}", delete(api::delete_connection))
        .route("/api/Connections/{id}", delete(api::delete_connection))
        .route("/api/api.xro/2.0/Organisation", get(api::organisation))
        .route("/api/api.xro/2.0/Users", get(api::users))
        .route("/api/payroll.xro/1.0/Settings", get(api::payroll_au))
        .route("/api/payroll.xro/2.0/Settings", get(api::payroll_v2))
        .route("/api/assets.xro/1.0/Settings", get(api::assets))
        .route("/api/practicemanager/3.1/client.api/list", get(crate::xpm_api::list))
        .route("/api/practicemanager/3.1/client.api/paged-list", get(crate::xpm_api::paged_list))
        .route("/api/practicemanager/3.1/client.api/get/{uuid}", get(crate::xpm_api::get_client))
        .route("/api/practicemanager/3.1/client.api/search", get(crate::xpm_api::search))
        // Reports
        .route("/api/api.xro/2.0/Reports/ProfitAndLoss", get(reports::profit_and_loss))
        .route("/api/api.xro/2.0/Reports/BalanceSheet", get(reports::balance_sheet))
        .route("/api/api.xro/2.0/Reports/BankSummary", get(reports::bank_summary))
        .route("/api/api.xro/2.0/Invoices", get(crate::invoices::invoices))
        .route("/api/api.xro/2.0/Reports/AgedReceivablesByContact", get(reports::aged_receivables))
        .route("/api/api.xro/2.0/Reports/AgedPayablesByContact", get(reports::aged_payables))
        .route("/", get(index))
        .layer(middleware::from_fn_with_state(shared.clone(), fault_layer))
        .layer(middleware::from_fn_with_state(shared.clone(), count_bytes));
    if let Some(recorder) = recorder {
        // Outside the fault layer: what is kept is what the client received.
        xero = xero.layer(middleware::from_fn_with_state(recorder, crate::record::record_layer));
    }
    let control = admin::routes().route("/orgs/{id}/report-figures", get(reports::key_figures));
    xero.nest("/_sim", control).with_state(shared)
}

async fn serve_connection<S>(stream: S, app: Router, mut stop: watch::Receiver<bool>)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let kill = Arc::new(Notify::new());
    let kill_for_requests = kill.clone();
    let svc = hyper::service::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
        req.extensions_mut().insert(ConnKill(kill_for_requests.clone()));
        let mut app = app.clone();
        async move { app.call(req).await }
    });
    let conn = hyper::server::conn::http1::Builder::new().keep_alive(true).serve_connection(TokioIo::new(stream), svc);
    tokio::select! {
        _ = conn => {}
        _ = kill.notified() => {} // dropping the connection closes the socket with no response
        _ = stop.changed() => {}
    }
}

/// Starts simulators.
pub struct Simulator;

impl Simulator {
    /// Generate the data, bind 127.0.0.1:`config.port` and serve (HTTP, or HTTPS with
    /// `config.tls`) in the background.
    pub async fn start(config: SimConfig) -> Result<SimHandle, SimError> {
        if config.clients.is_empty() {
            return Err(SimError::NoClients);
        }
        let data = generate(config.seed, config.orgs, config.staff_users);
        let shared = Arc::new(Shared::new(&config, data));
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port))
            .await
            .map_err(|source| SimError::Bind { port: config.port, source })?;
        let addr = listener.local_addr().map_err(|source| SimError::Bind { port: config.port, source })?;
        let tls = config.tls.as_ref().map(crate::tls::acceptor).transpose()?;
        let base_url = format!("{}://{addr}", if tls.is_some() { "https" } else { "http" });
        *shared.base_url.lock().expect("base url") = base_url.clone();
        let recorder = config.record_responses.then(|| Arc::new(Recorder::default()));
        let app = router(shared.clone(), recorder.clone());
        let (stop_tx, stop_rx) = watch::channel(false);
        let task = tokio::spawn(async move {
            let mut conns = JoinSet::new();
            let mut stop = stop_rx.clone();
            loop {
                tokio::select! {
                    _ = stop.changed() => break,
                    accepted = listener.accept() => {
                        let Ok((stream, _)) = accepted else { continue };
                        let _ = stream.set_nodelay(true);
                        let (app, stop) = (app.clone(), stop_rx.clone());
                        match tls.clone() {
                            None => conns.spawn(serve_connection(stream, app, stop)),
                            // A client that refuses the certificate just ends the handshake.
                            Some(tls) => conns.spawn(async move {
                                if let Ok(stream) = tls.accept(stream).await {
                                    serve_connection(stream, app, stop).await;
                                }
                            }),
                        };
                    }
                    Some(_) = conns.join_next(), if !conns.is_empty() => {}
                }
            }
            conns.abort_all();
            while conns.join_next().await.is_some() {}
        });
        tracing::info!(%addr, "xero-sim listening");
        Ok(SimHandle { shared, addr, base_url, stop: stop_tx, task: Mutex::new(Some(task)), runtime: None, recorder })
    }

    /// For synchronous callers (no tokio runtime at hand): start the simulator on its own
    /// two-thread runtime, owned by the returned handle. Don't call it from async code.
    pub fn start_blocking(config: SimConfig) -> Result<SimHandle, SimError> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("xero-sim")
            .enable_all()
            .build()
            .map_err(|source| SimError::Bind { port: config.port, source })?;
        let mut handle = runtime.block_on(Simulator::start(config))?;
        handle.runtime = Some(runtime);
        Ok(handle)
    }
}

/// A running simulator. Dropping it stops the server.
pub struct SimHandle {
    shared: Arc<Shared>,
    addr: SocketAddr,
    base_url: String,
    stop: watch::Sender<bool>,
    task: Mutex<Option<JoinHandle<()>>>,
    runtime: Option<tokio::runtime::Runtime>,
    recorder: Option<Arc<Recorder>>,
}

impl SimHandle {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
    /// `http://127.0.0.1:PORT` (`https://` with [`SimConfig::tls`]).
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }
    /// Stands for `https://login.xero.com`.
    pub fn login_base(&self) -> String {
        format!("{}/login", self.base_url())
    }
    /// Stands for `https://identity.xero.com`.
    pub fn identity_base(&self) -> String {
        format!("{}/identity", self.base_url())
    }
    /// Stands for `https://api.xero.com`.
    pub fn api_base(&self) -> String {
        format!("{}/api", self.base_url())
    }
    pub fn authorize_url(&self) -> String {
        format!("{}/identity/connect/authorize", self.login_base())
    }
    pub fn token_url(&self) -> String {
        format!("{}/connect/token", self.identity_base())
    }
    pub fn revocation_url(&self) -> String {
        format!("{}/connect/revocation", self.identity_base())
    }
    pub fn connections_url(&self) -> String {
        format!("{}/connections", self.api_base())
    }
    /// `…/api/api.xro/2.0` (append `/Organisation`, `/Users`).
    pub fn accounting_url(&self) -> String {
        format!("{}/api.xro/2.0", self.api_base())
    }

    /// The simulated clock (advance it to expire tokens or roll rate-limit windows).
    pub fn clock(&self) -> &Clock {
        &self.shared.clock
    }
    pub fn advance(&self, by: Duration) {
        self.shared.clock.advance(by);
    }
    /// Fault and latency switches, live.
    pub fn faults(&self) -> &Faults {
        &self.shared.faults
    }
    pub fn stats(&self) -> StatsSnapshot {
        self.shared.stats.snapshot()
    }
    /// The generated organisations, in dataset order.
    pub fn orgs(&self) -> Vec<Organisation> {
        self.shared.world().orgs.clone()
    }
    /// The practice staff users (user 0 sees every organisation).
    pub fn staff(&self) -> Vec<StaffUser> {
        self.shared.world().staff.clone()
    }
    /// The tier of the registered apps.
    pub fn tier(&self) -> crate::Tier {
        self.shared.tier
    }
    /// The connections `client_id` uses, as its tier's cap counts them: distinct tenants
    /// connected to the app by anyone (a tenant two staff users connected counts once).
    pub fn connections_in_use(&self, client_id: &str) -> usize {
        self.shared.world().connections_in_use(client_id)
    }
    /// Turn automatic consent on (`Some`) or off (`None`, the consent page is shown).
    pub fn set_auto_consent(&self, consent: Option<AutoConsent>) {
        self.shared.world().auto_consent = consent;
    }
    /// The user disconnects every app from their Xero account: their refresh tokens answer
    /// `invalid_grant` and their connections disappear. `user` is an email or user id.
    /// Returns false for an unknown user.
    pub fn revoke_consent(&self, user: &str) -> bool {
        let mut world = self.shared.world();
        let Some(id) = world.find_staff(user).map(|u| u.user_id) else { return false };
        world.revoke_user_app(id, None);
        true
    }
    /// The organisation is deleted at Xero (or its trial ended / demo reset): it disappears from
    /// every `/connections` list and its API calls answer 403 AuthenticationUnsuccessful.
    pub fn delete_tenant(&self, tenant_id: Uuid) -> bool {
        let mut world = self.shared.world();
        world.org_index.contains_key(&tenant_id) && world.deleted.insert(tenant_id)
    }
    /// Someone changes a user's role in the organisation, stamped with the simulator's clock so
    /// `If-Modified-Since` sees it. False for an unknown organisation or user.
    pub fn set_user_role(&self, tenant_id: Uuid, user_id: Uuid, role: &'static str) -> bool {
        let now = self.shared.clock.now_ms();
        let mut world = self.shared.world();
        let Some(&i) = world.org_index.get(&tenant_id) else { return false };
        match world.orgs[i].users.iter_mut().find(|u| u.user_id == user_id) {
            Some(user) => {
                user.role = role;
                user.updated_ms = now;
                true
            }
            None => false,
        }
    }
    /// Someone removes a user from the organisation: like Xero, it is simply no longer listed
    /// (nothing marks it, so `If-Modified-Since` never reports a removal).
    pub fn remove_user(&self, tenant_id: Uuid, user_id: Uuid) -> bool {
        let mut world = self.shared.world();
        let Some(&i) = world.org_index.get(&tenant_id) else { return false };
        let users = &mut world.orgs[i].users;
        let before = users.len();
        users.retain(|u| u.user_id != user_id);
        users.len() < before
    }
    /// `…/api/practicemanager/3.1` (append `/client.api/list`, …).
    pub fn xpm_url(&self) -> String {
        format!("{}/practicemanager/3.1", self.api_base())
    }
    /// The practice's XPM tenant id (`PRACTICEMANAGER` in `/connections`).
    pub fn xpm_tenant_id(&self) -> Uuid {
        self.shared.world().xpm.tenant_id
    }
    /// The practice's XPM clients, each with its ground truth (`org`: the organisation it is).
    pub fn xpm_clients(&self) -> Vec<crate::xpm::XpmClient> {
        self.shared.world().xpm.clients.clone()
    }
    /// Someone changes a client in XPM: its name, archived or deleted flags (what is `Some`),
    /// stamped with the simulator's clock so `modifiedsince` sees it. False for an unknown uuid.
    pub fn xpm_edit(&self, uuid: Uuid, edit: &crate::xpm::XpmEdit) -> bool {
        let now = self.shared.clock.now_ms();
        self.shared.world().xpm.edit(uuid, edit, now)
    }
    /// Every answer sent since the last call (oldest first), when the simulator was started with
    /// [`SimConfig::record_responses`]; always empty otherwise.
    pub fn take_responses(&self) -> Vec<RecordedResponse> {
        self.recorder.as_ref().map(|r| r.take()).unwrap_or_default()
    }
    /// Stop serving and wait for the server task to end.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let task = self.task.lock().expect("task").take();
        if let Some(t) = task {
            let _ = t.await;
        }
    }
}

impl Drop for SimHandle {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        if let Some(rt) = self.runtime.take() {
            rt.shutdown_background();
        }
    }
}
