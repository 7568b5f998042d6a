//! Helpers shared by the HTTP tests: a reqwest client, PKCE, the consent dance.
#![allow(dead_code)]

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::{Client, Response, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};
use xero_sim::{DEFAULT_CLIENT_ID, SimHandle};

pub const REDIRECT: &str = "http://localhost:53682/callback";
pub const ALL_SCOPES: &str =
    "openid profile email offline_access accounting.settings.read payroll.settings.read assets.read";

pub fn http() -> Client {
    Client::builder().redirect(reqwest::redirect::Policy::none()).no_proxy().build().expect("client")
}

pub struct Pkce {
    pub verifier: String,
    pub challenge: String,
}

pub fn pkce() -> Pkce {
    let verifier = format!("{}{}", uuid::Uuid::new_v4().simple(), uuid::Uuid::new_v4().simple()); // 64 chars
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Pkce { verifier, challenge }
}

pub fn authorize_url(sim: &SimHandle, scope: &str, state: &str, pkce: &Pkce) -> String {
    let q = serde_urlencoded::to_string([
        ("response_type", "code"),
        ("client_id", DEFAULT_CLIENT_ID),
        ("redirect_uri", REDIRECT),
        ("scope", scope),
        ("state", state),
        ("code_challenge", pkce.challenge.as_str()),
        ("code_challenge_method", "S256"),
    ])
    .unwrap();
    format!("{}?{}", sim.authorize_url(), q)
}

/// Query parameters of a redirect's Location.
pub fn location_params(resp: &Response) -> Vec<(String, String)> {
    assert_eq!(resp.status(), StatusCode::FOUND, "expected a redirect");
    let loc = resp.headers()["location"].to_str().unwrap().to_string();
    let (base, query) = loc.split_once('?').expect("query in redirect");
    assert_eq!(base, REDIRECT);
    serde_urlencoded::from_str(query).unwrap()
}

pub fn param<'a>(params: &'a [(String, String)], k: &str) -> Option<&'a str> {
    params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str())
}

/// Authorize with auto-consent on (the sim must have it) and return (code, verifier).
pub async fn auto_code(sim: &SimHandle, scope: &str) -> (String, String) {
    let p = pkce();
    let resp = http().get(authorize_url(sim, scope, "st-1", &p)).send().await.unwrap();
    let params = location_params(&resp);
    assert_eq!(param(&params, "state"), Some("st-1"));
    (param(&params, "code").expect("code").to_string(), p.verifier)
}

/// Submits the consent page's form (`request`, `action` and any ticked `tenant`s).
pub async fn submit_consent<T: serde::Serialize + ?Sized>(sim: &SimHandle, form: &T) -> Response {
    http().post(format!("{}/identity/connect/consent", sim.login_base())).form(form).send().await.unwrap()
}

pub async fn exchange(sim: &SimHandle, code: &str, verifier: &str) -> Response {
    http()
        .post(sim.token_url())
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", DEFAULT_CLIENT_ID),
            ("code", code),
            ("redirect_uri", REDIRECT),
            ("code_verifier", verifier),
        ])
        .send()
        .await
        .unwrap()
}

pub async fn refresh(sim: &SimHandle, refresh_token: &str) -> Response {
    http()
        .post(sim.token_url())
        .form(&[("grant_type", "refresh_token"), ("client_id", DEFAULT_CLIENT_ID), ("refresh_token", refresh_token)])
        .send()
        .await
        .unwrap()
}

/// Auto-consent + code exchange → token JSON.
pub async fn connect(sim: &SimHandle, scope: &str) -> Value {
    let (code, verifier) = auto_code(sim, scope).await;
    let resp = exchange(sim, &code, &verifier).await;
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.unwrap()
}

pub fn s(v: &Value, k: &str) -> String {
    v[k].as_str().unwrap_or_else(|| panic!("{k} missing in {v}")).to_string()
}

pub async fn assert_invalid_grant(resp: Response) {
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"error": "invalid_grant"}));
}

pub fn jwt_claims(token: &str) -> Value {
    let parts: Vec<&str> = token.split('.').collect();
    assert_eq!(parts.len(), 3, "JWT-shaped");
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap()
}

pub async fn get_api(sim: &SimHandle, path: &str, access: &str, tenant: Option<&str>, json: bool) -> Response {
    let mut req = http().get(format!("{}{}", sim.api_base(), path)).bearer_auth(access);
    if let Some(t) = tenant {
        req = req.header("xero-tenant-id", t);
    }
    if json {
        req = req.header("Accept", "application/json");
    }
    req.send().await.unwrap()
}

pub async fn connections(sim: &SimHandle, access: &str) -> Vec<Value> {
    let resp = http().get(sim.connections_url()).bearer_auth(access).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK);
    resp.json().await.unwrap()
}

pub fn header(resp: &Response, name: &str) -> Option<String> {
    resp.headers().get(name).map(|v| v.to_str().unwrap().to_string())
}
