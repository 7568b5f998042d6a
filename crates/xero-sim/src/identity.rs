//! login.xero.com / identity.xero.com: authorize + consent page, token, revocation, discovery.

use crate::config::SimClient;
use crate::connection_cap::CapReached;
use crate::render::html_escape;
use crate::state::{KNOWN_SCOPES, OAuthError, PendingAuth, Shared, bump, is_xpm_scope, random_token};
use crate::tier::Tier;
use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use std::collections::HashMap;
use std::sync::Arc;
use uuid::Uuid;

type S = State<Arc<Shared>>;

/// Xero's 500 "something went wrong" screen for a bad authorize request.
fn error_page(message: &str) -> Response {
    error_page_with(StatusCode::INTERNAL_SERVER_ERROR, message)
}

/// The same screen with another status.
fn error_page_with(status: StatusCode, message: &str) -> Response {
    let body = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Xero | Error</title></head>\
         <body><main><h1>Sorry, something went wrong</h1><p>Go back and try again.</p>\
         <p>If the issue continues, check out our <a href=\"https://status.xero.com\">Status Page</a></p>\
         <p id=\"error-details\">Error: {}</p><p>Error code: {}</p></main></body></html>",
        html_escape(message),
        status.as_u16()
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], body).into_response()
}

fn redirect_with(redirect_uri: &str, params: &[(&str, &str)]) -> Response {
    let query = serde_urlencoded::to_string(params).unwrap_or_default();
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    let location = format!("{redirect_uri}{sep}{query}");
    let mut resp = StatusCode::FOUND.into_response();
    if let Ok(v) = HeaderValue::from_str(&location) {
        resp.headers_mut().insert(header::LOCATION, v);
    }
    resp
}

fn redirect_code(req: &PendingAuth, code: &str) -> Response {
    let scope = req.scopes.join(" ");
    let session_state = random_token();
    let mut params = vec![("code", code), ("scope", scope.as_str())];
    if let Some(st) = &req.state {
        params.push(("state", st));
    }
    params.push(("session_state", session_state.as_str()));
    redirect_with(&req.redirect_uri, &params)
}

fn redirect_error(req_redirect: &str, state: Option<&str>, error: &str, description: Option<&str>) -> Response {
    let mut params = vec![("error", error)];
    if let Some(d) = description {
        params.push(("error_description", d));
    }
    if let Some(st) = state {
        params.push(("state", st));
    }
    redirect_with(req_redirect, &params)
}

/// `GET /login/identity/connect/authorize`
pub(crate) async fn authorize(State(s): S, Query(q): Query<HashMap<String, String>>) -> Response {
    let get = |k: &str| q.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let Some(client) = get("client_id").and_then(|id| s.client(id)) else {
        return error_page("unauthorized_client : Unknown client or client not enabled");
    };
    let Some(redirect_uri) = get("redirect_uri").filter(|r| client.redirect_uris.iter().any(|u| u == r)) else {
        return error_page("unauthorized_client : Invalid redirect_uri");
    };
    let scopes: Vec<String> = get("scope").unwrap_or("").split_whitespace().map(str::to_string).collect();
    if scopes.is_empty() || scopes.iter().any(|sc| !KNOWN_SCOPES.contains(&sc.as_str())) {
        return error_page("unauthorized_client : Invalid scope for client");
    }
    let state = get("state").map(str::to_string);
    if get("response_type") != Some("code") {
        return redirect_error(redirect_uri, state.as_deref(), "unsupported_response_type", None);
    }
    let challenge = get("code_challenge").map(str::to_string);
    match (&challenge, get("code_challenge_method")) {
        (Some(_), Some("S256")) => {}
        (Some(_), _) => {
            return redirect_error(
                redirect_uri,
                state.as_deref(),
                "invalid_request",
                Some("code_challenge_method must be S256"),
            );
        }
        (None, _) if client.client_secret.is_none() => {
            return redirect_error(redirect_uri, state.as_deref(), "invalid_request", Some("code challenge required"));
        }
        (None, _) => {}
    }
    if !s.tier.practice_manager() && scopes.iter().any(|sc| is_xpm_scope(sc)) {
        // `unauthorized_client` rather than `invalid_scope` (RFC 6749 §4.1.2.1: "invalid, unknown,
        // or malformed"): the scope is Xero's and well formed, this app is just not entitled to
        // it, which Xero answers with `unauthorized_client` "Invalid scope for client".
        let description = format!(
            "Invalid scope for client: the app's {} tier does not include Xero Practice Manager \
             (the practicemanager scopes need the Advanced tier)",
            s.tier
        );
        return redirect_error(redirect_uri, state.as_deref(), "unauthorized_client", Some(&description));
    }

    let now = s.clock.now_ms();
    let mut world = s.world();
    let auto = world.auto_consent.clone();
    let hinted = get("login_hint").and_then(|h| world.find_staff(h)).map(|u| u.user_id);
    let auto_user = auto.as_ref().and_then(|a| a.user.as_deref()).and_then(|u| world.find_staff(u)).map(|u| u.user_id);
    let Some(user) = auto_user.or(hinted).or_else(|| world.staff.first().map(|u| u.user_id)) else {
        return error_page("server_error : no users");
    };
    let pending = PendingAuth {
        client_id: client.client_id.clone(),
        redirect_uri: redirect_uri.to_string(),
        scopes,
        state,
        code_challenge: challenge,
        nonce: get("nonce").map(str::to_string),
        user,
        created_ms: now,
    };
    if let Some(auto) = auto {
        let mut tenants = world.tenants_for_auto(&user, &auto.tenants);
        if !s.tier.bulk_connections() {
            tenants.truncate(1); // one organisation per consent below Advanced
        }
        return consent_answer(world.consent(s.tier, &pending, &tenants, now), &pending);
    }
    let request_id = random_token();
    world.pending.insert(request_id.clone(), pending.clone());
    let mut others: Vec<(String, String)> =
        q.iter().filter(|(k, _)| k.as_str() != "login_hint").map(|(k, v)| (k.clone(), v.clone())).collect();
    others.sort();
    let switch_query = serde_urlencoded::to_string(&others).unwrap_or_default();
    let page = consent_page(&world, s.tier, client, &pending, &request_id, None, Some(&switch_query));
    html(page)
}

/// The redirect that ends a consent: the code, or `access_denied` at the connection cap.
fn consent_answer(consent: Result<String, CapReached>, req: &PendingAuth) -> Response {
    match consent {
        Ok(code) => redirect_code(req, &code),
        Err(cap) => redirect_error(&req.redirect_uri, req.state.as_deref(), "access_denied", Some(&cap.description())),
    }
}

fn html(body: String) -> Response {
    (StatusCode::OK, [(header::CONTENT_TYPE, "text/html; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], body)
        .into_response()
}

fn scope_words(scope: &str) -> Option<&'static str> {
    Some(match scope {
        "openid" | "profile" | "email" => "View your name, email address and user profile",
        "offline_access" => "Stay connected (access your data when you are not using the app)",
        "accounting.settings" | "accounting.settings.read" => "View your organisation settings",
        s if s.starts_with("payroll.") => "View payroll settings",
        "assets" | "assets.read" => "View fixed assets",
        s if s.starts_with("accounting.reports.") => "View your business reports",
        s if s.starts_with("accounting.") => "View your business transactions and contacts",
        _ => return None,
    })
}

fn consent_page(
    world: &crate::state::World,
    tier: Tier,
    client: &SimClient,
    req: &PendingAuth,
    request_id: &str,
    error: Option<&str>,
    switch_query: Option<&str>,
) -> String {
    let user = world.staff_by_id(&req.user);
    let orgs = world.visible_orgs(&req.user);
    let mut words: Vec<&str> = req.scopes.iter().filter_map(|s| scope_words(s)).collect();
    words.dedup();
    let wants_tenants =
        req.scopes.iter().any(|s| !matches!(s.as_str(), "openid" | "profile" | "email" | "offline_access"));
    let mut out = String::with_capacity(4096 + orgs.len() * 256);
    out.push_str("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">");
    out.push_str("<title>Xero | Authorise app (simulated)</title><style>");
    out.push_str("body{font-family:system-ui,sans-serif;background:#f4f6f8;margin:0;color:#1e3145}");
    out.push_str("main{max-width:640px;margin:32px auto;background:#fff;padding:24px 32px;border-radius:8px;box-shadow:0 1px 4px #0002}");
    out.push_str(".sim{background:#fff4cc;padding:4px 8px;border-radius:4px;font-size:13px}");
    out.push_str(
        "ul.orgs{list-style:none;padding:0;max-height:360px;overflow:auto;border:1px solid #ccd;border-radius:4px}",
    );
    out.push_str("ul.orgs li{padding:6px 10px;border-bottom:1px solid #eef}.meta{color:#6b7c8f;font-size:12px}");
    out.push_str(".err{color:#b00020}button{font-size:15px;padding:8px 18px;margin-right:8px;border-radius:4px;border:1px solid #13b5ea;cursor:pointer}");
    out.push_str("#allow,#allow-all{background:#13b5ea;color:#fff}#cancel{background:#fff;color:#13b5ea}");
    out.push_str("</style></head><body><main>");
    out.push_str("<p class=\"sim\">Simulated Xero (xero-sim) &mdash; no real Xero account is involved.</p>");
    out.push_str(&format!(
        "<h1><span id=\"app-name\">{}</span> wants access to your Xero data</h1>",
        html_escape(&client.name)
    ));
    if let Some(u) = user {
        out.push_str(&format!(
            "<p id=\"signed-in\">Signed in as <strong>{} {}</strong> ({})</p>",
            html_escape(&u.first_name),
            html_escape(&u.last_name),
            html_escape(&u.email)
        ));
    }
    if let Some(query) = switch_query.filter(|_| world.staff.len() > 1) {
        out.push_str("<p class=\"meta\" id=\"switch-user\">Not you? Sign in as: ");
        let mut first = true;
        for s in world.staff.iter().filter(|s| s.user_id != req.user) {
            if !first {
                out.push_str(", ");
            }
            first = false;
            let hint = serde_urlencoded::to_string([("login_hint", s.email.as_str())]).unwrap_or_default();
            out.push_str(&format!(
                "<a href=\"authorize?{}&amp;{}\">{}</a>",
                html_escape(query),
                html_escape(&hint),
                html_escape(&s.email)
            ));
        }
        out.push_str("</p>");
    }
    out.push_str("<p>The app will be able to:</p><ul id=\"scopes\">");
    for w in words {
        out.push_str(&format!("<li>{}</li>", html_escape(w)));
    }
    out.push_str("</ul>");
    if let Some(e) = error {
        out.push_str(&format!("<p class=\"err\" id=\"error\">{}</p>", html_escape(e)));
    }
    out.push_str("<form method=\"post\" action=\"consent\">");
    out.push_str(&format!("<input type=\"hidden\" name=\"request\" value=\"{}\">", html_escape(request_id)));
    if wants_tenants {
        // Below Advanced a consent connects one organisation: radio buttons, no "all".
        let (input, what) =
            if tier.bulk_connections() { ("checkbox", "organisations") } else { ("radio", "organisation") };
        // At the cap, organisations not yet connected to the app cannot be chosen.
        let cap = world.cap_reached(tier, &req.client_id);
        let connected = world.connected_tenants(&req.client_id);
        if let Some(cap) = &cap {
            out.push_str(&format!(
                "<p class=\"err\" id=\"connection-limit\">{} has reached its limit of {} connections ({} tier) \
                 and cannot connect to more Xero organisations. Organisations already connected to it can \
                 still be chosen.</p>",
                html_escape(&client.name),
                cap.limit,
                cap.tier
            ));
        }
        out.push_str(&format!("<p>Select the {what} to connect ({}):</p><ul class=\"orgs\" id=\"orgs\">", orgs.len()));
        for o in &orgs {
            let id = o.organisation_id.to_string();
            let disabled = if cap.is_some() && !connected.contains(&o.organisation_id) { " disabled" } else { "" };
            out.push_str(&format!(
                "<li><label><input type=\"{input}\" name=\"tenant\" value=\"{id}\" id=\"tenant-{id}\"{disabled}> {} \
                 <span class=\"meta\">{} &middot; {}</span></label></li>",
                html_escape(&o.name),
                html_escape(o.country.version()),
                html_escape(&o.short_code)
            ));
        }
        out.push_str("</ul>");
    }
    out.push_str("<p><button type=\"submit\" name=\"action\" value=\"allow\" id=\"allow\">Allow access</button>");
    if wants_tenants && tier.bulk_connections() {
        out.push_str(&format!(
            "<button type=\"submit\" name=\"action\" value=\"allow_all\" id=\"allow-all\">Allow access to all {}</button>",
            orgs.len()
        ));
    }
    out.push_str("<button type=\"submit\" name=\"action\" value=\"cancel\" id=\"cancel\">Cancel</button></p>");
    out.push_str("</form></main></body></html>");
    out
}

/// `POST /login/identity/connect/consent` — the consent page's form.
pub(crate) async fn consent(State(s): S, body: Bytes) -> Response {
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let field = |k: &str| fields.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let now = s.clock.now_ms();
    let mut world = s.world();
    let Some(request_id) = field("request") else {
        return error_page("invalid_request : missing request");
    };
    let Some(req) = world.pending.get(request_id).cloned() else {
        return error_page(
            "invalid_request : This sign-in request has expired or was already used. Start again from the app.",
        );
    };
    if now - req.created_ms > 3_600_000 {
        world.pending.remove(request_id);
        return error_page("invalid_request : This sign-in request has expired. Start again from the app.");
    }
    match field("action") {
        Some("cancel") => {
            world.pending.remove(request_id);
            redirect_error(&req.redirect_uri, req.state.as_deref(), "access_denied", None)
        }
        Some(action @ ("allow" | "allow_all")) => {
            let visible: Vec<Uuid> = world.visible_orgs(&req.user).iter().map(|o| o.organisation_id).collect();
            let mut seen = std::collections::HashSet::new();
            let tenants: Vec<Uuid> = if action == "allow_all" {
                visible
            } else {
                fields
                    .iter()
                    .filter(|(n, _)| n == "tenant")
                    .filter_map(|(_, v)| Uuid::parse_str(v).ok())
                    .filter(|id| visible.contains(id) && seen.insert(*id))
                    .collect()
            };
            if tenants.len() > 1 && !s.tier.bulk_connections() {
                // The page offers one choice below Advanced, so this form was not the person's
                // doing: answer it here, as a bad request, rather than tell the app the person
                // refused; the request stays open for the person to go back and choose one.
                return error_page_with(
                    StatusCode::BAD_REQUEST,
                    &format!(
                        "invalid_request : On the {} tier an app connects one organisation per consent. \
                         Go back and choose one.",
                        s.tier
                    ),
                );
            }
            let wants_tenants =
                req.scopes.iter().any(|s| !matches!(s.as_str(), "openid" | "profile" | "email" | "offline_access"));
            if wants_tenants && tenants.is_empty() {
                let Some(client) = s.client(&req.client_id) else { return error_page("unauthorized_client") };
                let error = Some("Select at least one organisation.");
                return html(consent_page(&world, s.tier, client, &req, request_id, error, None));
            }
            world.pending.remove(request_id);
            consent_answer(world.consent(s.tier, &req, &tenants, now), &req)
        }
        _ => error_page("invalid_request : unknown action"),
    }
}

fn oauth_error(e: OAuthError) -> Response {
    (
        StatusCode::BAD_REQUEST,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8"), (header::CACHE_CONTROL, "no-store")],
        format!("{{\"error\":\"{}\"}}", e.code()),
    )
        .into_response()
}

fn basic_auth(headers: &HeaderMap) -> Option<(String, String)> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, rest) = v.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = String::from_utf8(STANDARD.decode(rest.trim()).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    // RFC 6749 §2.3.1: id and secret are form-urlencoded before Basic encoding (the oauth2 crate does this)
    Some((form_decode(id)?, form_decode(secret)?))
}

fn form_decode(s: &str) -> Option<String> {
    let pairs: Vec<(String, String)> = serde_urlencoded::from_str(&format!("v={s}")).ok()?;
    pairs.into_iter().next().map(|(_, v)| v)
}

/// `POST /identity/connect/token`
pub(crate) async fn token(State(s): S, headers: HeaderMap, body: Bytes) -> Response {
    bump(&s.stats.token_requests);
    let form: HashMap<String, String> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let get = |k: &str| form.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let grant_type = get("grant_type");
    if !matches!(grant_type, Some("authorization_code" | "refresh_token")) {
        return oauth_error(OAuthError::UnsupportedGrantType);
    }
    let client = match s.authenticate_client(basic_auth(&headers), get("client_id"), get("client_secret")) {
        Ok(c) => c.clone(),
        Err(e) => return oauth_error(e),
    };
    let now = s.clock.now_ms();
    let result = {
        let mut world = s.world();
        match grant_type {
            Some("authorization_code") => match get("code") {
                None => Err(OAuthError::InvalidRequest),
                Some(code) => world
                    .exchange_code(&s, &client, code, get("redirect_uri"), get("code_verifier"), now)
                    .map(|t| (t, None)),
            },
            _ => match get("refresh_token") {
                None => Err(OAuthError::InvalidRequest),
                Some(rt) => world.refresh(&s, &client, rt, now).map(|(t, grace)| (t, Some(grace))),
            },
        }
    };
    match result {
        Ok((tokens, refresh)) => {
            match refresh {
                None => bump(&s.stats.authorization_code_grants),
                Some(grace) => {
                    bump(&s.stats.refresh_grants);
                    if grace {
                        bump(&s.stats.refresh_grace_grants);
                    }
                }
            }
            (
                StatusCode::OK,
                [
                    (header::CONTENT_TYPE, "application/json; charset=utf-8"),
                    (header::CACHE_CONTROL, "no-store, no-cache, max-age=0"),
                    (header::PRAGMA, "no-cache"),
                ],
                serde_json::to_string(&tokens).unwrap_or_default(),
            )
                .into_response()
        }
        Err(e) => {
            if e == OAuthError::InvalidGrant {
                bump(&s.stats.invalid_grants);
            }
            oauth_error(e)
        }
    }
}

/// `POST /identity/connect/revocation` (form `token=<refresh_token>`).
pub(crate) async fn revocation(State(s): S, headers: HeaderMap, body: Bytes) -> Response {
    let form: HashMap<String, String> = serde_urlencoded::from_bytes(&body).unwrap_or_default();
    let get = |k: &str| form.get(k).map(String::as_str).filter(|v| !v.is_empty());
    let client = match s.authenticate_client(basic_auth(&headers), get("client_id"), get("client_secret")) {
        Ok(c) => c.clone(),
        Err(e) => return oauth_error(e),
    };
    let Some(token) = get("token") else { return oauth_error(OAuthError::InvalidRequest) };
    if s.world().revoke_refresh_token(&client.client_id, token) {
        bump(&s.stats.revocations);
    }
    // RFC 7009: unknown tokens are not an error
    StatusCode::OK.into_response()
}

/// `GET /identity/.well-known/openid-configuration`
pub(crate) async fn discovery(State(s): S) -> Response {
    let base = s.base_url.lock().expect("base url").clone();
    let issuer = format!("{base}/identity");
    let doc = serde_json::json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{base}/login/identity/connect/authorize"),
        "token_endpoint": format!("{issuer}/connect/token"),
        "revocation_endpoint": format!("{issuer}/connect/revocation"),
        "userinfo_endpoint": format!("{issuer}/connect/userinfo"),
        "jwks_uri": format!("{issuer}/.well-known/openid-configuration/jwks"),
        "scopes_supported": KNOWN_SCOPES,
        "response_types_supported": ["code"],
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "code_challenge_methods_supported": ["S256"],
        "token_endpoint_auth_methods_supported": ["client_secret_basic", "none"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["RS256"],
    });
    axum::Json(doc).into_response()
}

/// `GET /identity/.well-known/openid-configuration/jwks`: the key that verifies tokens.
pub(crate) async fn jwks() -> Response {
    axum::Json(crate::signing::jwks()).into_response()
}

/// `GET /identity/connect/userinfo` (Bearer).
pub(crate) async fn userinfo(State(s): S, headers: HeaderMap) -> Response {
    let now = s.clock.now_ms();
    let world = s.world();
    let info = match crate::api::bearer(&headers).and_then(|t| world.access(t)) {
        Some(i) if i.exp_ms > now => i.clone(),
        _ => {
            return (StatusCode::UNAUTHORIZED, [(header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")])
                .into_response();
        }
    };
    let Some(u) = world.staff_by_id(&info.user) else { return StatusCode::UNAUTHORIZED.into_response() };
    axum::Json(serde_json::json!({
        "sub": u.user_id.simple().to_string(),
        "xero_userid": u.user_id.to_string(),
        "preferred_username": u.email,
        "email": u.email,
        "given_name": u.first_name,
        "family_name": u.last_name,
        "name": format!("{} {}", u.first_name, u.last_name),
    }))
    .into_response()
}
