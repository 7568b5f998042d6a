//! Tokens shaped like Xero's: RS256 JWTs verifiable with the published JWKS, Xero's claims, and
//! Xero's sizes (which decide whether a token set fits a Windows credential).

mod common;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use common::*;
use reqwest::StatusCode;
use ring::signature::{RSA_PKCS1_2048_8192_SHA256, RsaPublicKeyComponents};
use serde_json::Value;
use xero_sim::{AutoConsent, SimConfig, SimHandle, Simulator};

/// The app's scope sets, as `crates/core` asks for them (CONNECT_SCOPES; CONNECT_SCOPES +
/// REPORT_SCOPES for "Allow reports"; XPM_SCOPES).
const CONNECT: &str = "openid profile email offline_access accounting.settings.read payroll.settings.read assets.read";
const CONNECT_AND_REPORTS: &str = "openid profile email offline_access accounting.settings.read payroll.settings.read \
     assets.read accounting.reports.profitandloss.read accounting.reports.balancesheet.read accounting.invoices.read \
     accounting.reports.banksummary.read";
const XPM: &str = "openid profile email offline_access practicemanager.client.read";

async fn sim() -> SimHandle {
    Simulator::start(SimConfig::default().orgs(3).auto_consent(AutoConsent::all())).await.expect("simulator starts")
}

async fn get_json(url: &str) -> Value {
    let resp = http().get(url).send().await.unwrap();
    assert_eq!(resp.status(), StatusCode::OK, "{url}");
    resp.json().await.unwrap()
}

/// The JWKS, found as a client finds it: through the discovery document's `jwks_uri`.
async fn published_keys(sim: &SimHandle) -> Vec<Value> {
    let discovery = get_json(&format!("{}/.well-known/openid-configuration", sim.identity_base())).await;
    let jwks_uri = s(&discovery, "jwks_uri");
    assert_eq!(jwks_uri, format!("{}/.well-known/openid-configuration/jwks", sim.identity_base()));
    get_json(&jwks_uri).await["keys"].as_array().unwrap().clone()
}

fn b64(part: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(part).unwrap()
}

/// Whether `token`'s RS256 signature verifies with the published key its header names.
fn signature_verifies(token: &str, keys: &[Value]) -> bool {
    let (signing_input, signature) = token.rsplit_once('.').expect("three parts");
    let header: Value = serde_json::from_slice(&b64(signing_input.split('.').next().unwrap())).unwrap();
    assert_eq!(header["alg"], "RS256");
    assert_eq!(header["typ"], "JWT");
    let key = keys.iter().find(|k| k["kid"] == header["kid"]).expect("a published key with the token's kid");
    assert_eq!(header["x5t"], key["x5t"], "the thumbprint of the published certificate");
    assert_eq!((&key["kty"], &key["use"], &key["alg"]), (&"RSA".into(), &"sig".into(), &"RS256".into()));
    let public = RsaPublicKeyComponents { n: b64(&s(key, "n")), e: b64(&s(key, "e")) };
    assert_eq!(public.n.len(), 256, "a 2048-bit key");
    public.verify(&RSA_PKCS1_2048_8192_SHA256, signing_input.as_bytes(), &b64(signature)).is_ok()
}

/// `token`'s claims, once its signature is verified.
fn verify(token: &str, keys: &[Value]) -> Value {
    assert!(signature_verifies(token, keys), "the signature verifies with the published key");
    jwt_claims(token)
}

#[tokio::test]
async fn tokens_verify_with_the_published_jwks_and_carry_xeros_claims() {
    let sim = sim().await;
    let keys = published_keys(&sim).await;
    let tokens = connect(&sim, CONNECT).await;
    let access = s(&tokens, "access_token");
    let claims = verify(&access, &keys);
    for name in [
        "nbf",
        "exp",
        "iss",
        "aud",
        "client_id",
        "sub",
        "auth_time",
        "xero_userid",
        "global_session_id",
        "sid",
        "jti",
        "authentication_event_id",
        "scope",
    ] {
        assert!(claims.get(name).is_some(), "{name} missing in {claims}");
    }
    assert_eq!(claims["iss"], sim.identity_base());
    assert_eq!(claims["aud"], format!("{}/resources", sim.identity_base()));
    assert_eq!(claims["client_id"], xero_sim::DEFAULT_CLIENT_ID);
    assert_eq!(claims["xero_userid"], sim.staff()[0].user_id.to_string());
    assert_eq!(claims["exp"].as_i64().unwrap() - claims["nbf"].as_i64().unwrap(), 1800);
    let scopes: Vec<&str> = claims["scope"].as_array().unwrap().iter().map(|v| v.as_str().unwrap()).collect();
    assert_eq!(scopes, CONNECT.split(' ').collect::<Vec<_>>(), "scope is a list");

    let id_claims = verify(&s(&tokens, "id_token"), &keys);
    assert_eq!(id_claims["aud"], xero_sim::DEFAULT_CLIENT_ID);
    assert_eq!(id_claims["email"], sim.staff()[0].email);

    // a token altered after signing no longer verifies
    let (head, rest) = access.split_once('.').unwrap();
    let forged_claims = URL_SAFE_NO_PAD.encode(claims.to_string().replace("\"nbf\"", "\"nbF\""));
    let forged = format!("{head}.{forged_claims}.{}", rest.rsplit_once('.').unwrap().1);
    assert!(!signature_verifies(&forged, &keys), "an altered token does not verify");
}

#[tokio::test]
async fn an_id_token_comes_only_with_openid() {
    let sim = sim().await;
    let tokens = connect(&sim, "offline_access accounting.settings.read").await;
    assert!(tokens.get("id_token").is_none());
    verify(&s(&tokens, "access_token"), &published_keys(&sim).await);
}

#[tokio::test]
async fn access_tokens_are_xeros_size_and_grow_with_the_scopes() {
    let sim = sim().await;
    let mut sizes = Vec::new();
    for scopes in [XPM, CONNECT, CONNECT_AND_REPORTS] {
        let access = s(&connect(&sim, scopes).await, "access_token");
        assert_eq!(access.rsplit_once('.').unwrap().1.len(), 342, "a 2048-bit RS256 signature");
        println!("{} scopes: access token {} bytes", scopes.split(' ').count(), access.len());
        assert!((1200..=2000).contains(&access.len()), "{} bytes for {scopes}", access.len());
        sizes.push(access.len());
    }
    assert!(sizes.windows(2).all(|w| w[0] < w[1]), "more scopes, longer token: {sizes:?}");
}
