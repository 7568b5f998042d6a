//! `/_sim/…`: control routes for a simulator running in another process (the binary, the demo,
//! end-to-end tests). Same powers as [`crate::SimHandle`]; loopback only, no authentication.

use crate::config::AutoConsent;
use crate::faults::FaultRule;
use crate::state::Shared;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;
use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;
use uuid::Uuid;

type S = State<Arc<Shared>>;

pub(crate) fn routes() -> Router<Arc<Shared>> {
    Router::new()
        .route("/state", get(state))
        .route("/orgs", get(orgs))
        .route("/staff", get(staff))
        .route("/clock/advance", post(advance))
        .route("/revoke", post(revoke))
        .route("/tenants/{id}/delete", post(delete_tenant))
        .route("/faults", get(get_faults).post(set_faults).delete(clear_faults))
        .route("/auto-consent", post(set_auto_consent).delete(clear_auto_consent))
        .route("/xpm/clients", get(xpm_clients))
        .route("/xpm/clients/{uuid}", post(xpm_edit))
}

/// Every XPM client with its ground truth (`org`: the organisation it really is).
async fn xpm_clients(State(s): S) -> Response {
    Json(s.world().xpm.clients.clone()).into_response()
}

async fn xpm_edit(State(s): S, Path(id): Path<String>, Json(edit): Json<crate::xpm::XpmEdit>) -> Response {
    let now = s.clock.now_ms();
    match Uuid::parse_str(&id) {
        Ok(uuid) if s.world().xpm.edit(uuid, &edit, now) => StatusCode::NO_CONTENT.into_response(),
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn state(State(s): S) -> Response {
    let world = s.world();
    let in_use: serde_json::Map<_, _> =
        s.clients.iter().map(|c| (c.client_id.clone(), world.connections_in_use(&c.client_id).into())).collect();
    Json(serde_json::json!({
        "now_ms": s.clock.now_ms(),
        "orgs": world.orgs.len(),
        "deleted": world.deleted.len(),
        "connections": world.connections.len(),
        "tier": s.tier,
        "connection_limit": s.tier.connection_limit(),
        "connections_in_use": in_use,
        "stats": s.stats.snapshot(),
        "faults_injected": s.faults.injected(),
    }))
    .into_response()
}

async fn orgs(State(s): S) -> Response {
    let world = s.world();
    let list: Vec<_> = world
        .orgs
        .iter()
        .map(|o| {
            serde_json::json!({
                "tenantId": o.organisation_id,
                "name": o.name,
                "legalName": o.legal_name,
                "countryCode": o.country.country_code(),
                "version": o.country.version(),
                "shortCode": o.short_code,
                "isDemoCompany": o.is_demo,
                "hasPayroll": o.has_payroll,
                "hasAssets": o.has_assets,
                "deleted": world.deleted.contains(&o.organisation_id),
            })
        })
        .collect();
    Json(list).into_response()
}

async fn staff(State(s): S) -> Response {
    let world = s.world();
    let list: Vec<_> = world
        .staff
        .iter()
        .map(|u| serde_json::json!({"userId": u.user_id, "email": u.email, "firstName": u.first_name, "lastName": u.last_name, "orgs": u.orgs.len()}))
        .collect();
    Json(list).into_response()
}

async fn advance(State(s): S, Query(q): Query<HashMap<String, String>>) -> Response {
    let secs: u64 = q.get("seconds").and_then(|v| v.parse().ok()).unwrap_or(0);
    s.clock.advance(Duration::from_secs(secs));
    Json(serde_json::json!({"now_ms": s.clock.now_ms()})).into_response()
}

async fn revoke(State(s): S, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut world = s.world();
    let Some(id) = q.get("user").and_then(|u| world.find_staff(u)).map(|u| u.user_id) else {
        return StatusCode::NOT_FOUND.into_response();
    };
    world.revoke_user_app(id, None);
    StatusCode::NO_CONTENT.into_response()
}

async fn delete_tenant(State(s): S, Path(id): Path<Uuid>) -> Response {
    let mut world = s.world();
    if !world.org_index.contains_key(&id) {
        return StatusCode::NOT_FOUND.into_response();
    }
    world.deleted.insert(id);
    StatusCode::NO_CONTENT.into_response()
}

async fn get_faults(State(s): S) -> Response {
    Json(s.faults.rules()).into_response()
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Rules {
    One(FaultRule),
    Many(Vec<FaultRule>),
}

async fn set_faults(State(s): S, Json(rules): Json<Rules>) -> Response {
    match rules {
        Rules::One(r) => s.faults.add(r),
        Rules::Many(rs) => rs.into_iter().for_each(|r| s.faults.add(r)),
    }
    Json(s.faults.rules()).into_response()
}

async fn clear_faults(State(s): S) -> Response {
    s.faults.clear();
    StatusCode::NO_CONTENT.into_response()
}

async fn set_auto_consent(State(s): S, Json(c): Json<AutoConsent>) -> Response {
    s.world().auto_consent = Some(c);
    StatusCode::NO_CONTENT.into_response()
}

async fn clear_auto_consent(State(s): S) -> Response {
    s.world().auto_consent = None;
    StatusCode::NO_CONTENT.into_response()
}
