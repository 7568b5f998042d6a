//! Signing in to Xero: authorization code with PKCE (S256) and `state`, in the system browser,
//! back through the loopback listener; and refreshing a token set.

use std::future::Future;
use std::time::Duration;

use base64::Engine;
use oauth2::basic::{BasicClient, BasicErrorResponseType};
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointNotSet, EndpointSet, HttpClientError,
    PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken, RequestTokenError, Scope, TokenResponse, TokenUrl,
};
use url::Url;

use super::config::{XeroApp, XeroEndpoints};
use super::loopback::Loopback;
use super::token_http::CappedTokenClient;
use crate::error::{Error, Result};
use crate::model::UnixMillis;
use crate::secret::Secret;

/// How long a person has to finish consenting in the browser.
pub const SIGN_IN_TIMEOUT: Duration = Duration::from_secs(10 * 60);

type XeroClient = BasicClient<EndpointSet, EndpointNotSet, EndpointNotSet, EndpointNotSet, EndpointSet>;

/// What a token request returned. The secrets stay in [`Secret`]s.
#[derive(Debug)]
pub struct TokenGrant {
    pub access_token: Secret,
    pub refresh_token: Secret,
    pub access_expires_at: UnixMillis,
    pub scopes: Vec<String>,
    /// From the access token's claims: whose token set this is, and which consent it came from
    /// (`GET /connections?authEventId=` lists the organisations that consent added).
    pub xero_user_id: Option<String>,
    pub auth_event_id: Option<String>,
}

/// A sign-in waiting for the person to consent in the browser.
pub struct PendingSignIn {
    /// Open this in the system browser.
    pub authorize_url: Url,
    client: XeroClient,
    state: Secret,
    verifier: PkceCodeVerifier,
    loopback: Loopback,
}

/// Binds the loopback listener and builds the authorization URL.
pub async fn start_sign_in(
    app: &XeroApp,
    endpoints: &XeroEndpoints,
    scopes: &[&str],
    client_secret: Option<&Secret>,
) -> Result<PendingSignIn> {
    let loopback = Loopback::bind(&app.redirect_ports).await?;
    let client = client(app, endpoints, client_secret)
        .set_redirect_uri(RedirectUrl::new(loopback.redirect_uri()).map_err(config_error)?);
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (authorize_url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scopes(scopes.iter().map(|s| Scope::new((*s).to_owned())))
        .set_pkce_challenge(challenge)
        .url();
    Ok(PendingSignIn { authorize_url, client, state: Secret::new(state.secret().clone()), verifier, loopback })
}

impl PendingSignIn {
    pub fn redirect_uri(&self) -> String {
        self.loopback.redirect_uri()
    }

    /// Waits for the browser to come back, then exchanges the code (with the PKCE verifier).
    pub async fn finish(
        self,
        http: &reqwest::Client,
        timeout: Duration,
        cancelled: impl Future<Output = ()>,
    ) -> Result<TokenGrant> {
        let code = self.loopback.wait_for_code(&self.state, timeout, cancelled).await?;
        let response = self
            .client
            .exchange_code(AuthorizationCode::new(code.expose().to_owned()))
            .set_pkce_verifier(self.verifier)
            .request_async(&CappedTokenClient(http))
            .await
            .map_err(token_error)?;
        grant(&response)
    }
}

/// Exchanges a refresh token for a new pair (Xero rotates the refresh token every time).
/// `invalid_grant` means the token set is gone for good: a person must connect again.
pub async fn refresh(
    http: &reqwest::Client,
    app: &XeroApp,
    endpoints: &XeroEndpoints,
    client_secret: Option<&Secret>,
    refresh_token: &Secret,
) -> Result<TokenGrant> {
    let response = client(app, endpoints, client_secret)
        .exchange_refresh_token(&RefreshToken::new(refresh_token.expose().to_owned()))
        .request_async(&CappedTokenClient(http))
        .await
        .map_err(token_error)?;
    grant(&response)
}

/// Revokes a refresh token at Xero's revocation endpoint (RFC 7009: form `token=<refresh token>`),
/// the app authenticating as it does at the token endpoint. Xero then removes every connection of
/// that token's user to the app. Posted directly rather than through oauth2's `revoke_token`,
/// which refuses a revocation URL that is not https (the simulator's is http on loopback).
pub async fn revoke(
    http: &reqwest::Client,
    app: &XeroApp,
    endpoints: &XeroEndpoints,
    client_secret: Option<&Secret>,
    refresh_token: &Secret,
) -> Result<()> {
    let mut form = vec![("token", refresh_token.expose())];
    let mut request = http.post(endpoints.revocation.clone());
    match client_secret {
        // As oauth2 does for the token endpoint: both form-urlencoded, then HTTP Basic.
        Some(secret) => request = request.basic_auth(form_encode(&app.client_id), Some(form_encode(secret.expose()))),
        None => form.push(("client_id", &app.client_id)),
    }
    let response = request.form(&form).send().await.map_err(|e| request_failed(e, |e| e.without_url().to_string()))?;
    match response.status() {
        status if status.is_success() => Ok(()),
        status => Err(Error::XeroRefused(format!("Xero answered {status} to the revocation."))),
    }
}

/// A request to Xero's identity service that got no answer: the certificate sentence when TLS
/// refused the server, otherwise unreachable, in the words `detail` makes of the error.
fn request_failed(error: reqwest::Error, detail: impl FnOnce(reqwest::Error) -> String) -> Error {
    match super::http::certificate_problem(&error) {
        Some(sentence) => Error::CertificateNotTrusted(sentence),
        None => Error::XeroUnreachable(detail(error)),
    }
}

fn form_encode(text: &str) -> String {
    url::form_urlencoded::byte_serialize(text.as_bytes()).collect()
}

fn client(app: &XeroApp, endpoints: &XeroEndpoints, client_secret: Option<&Secret>) -> XeroClient {
    let client = BasicClient::new(ClientId::new(app.client_id.clone()))
        .set_auth_uri(AuthUrl::from_url(endpoints.authorize.clone()))
        .set_token_uri(TokenUrl::from_url(endpoints.token.clone()));
    // With a secret, oauth2 sends HTTP Basic ("Web app" type); without, the client id goes in
    // the form body, as Xero's PKCE flow expects.
    match client_secret {
        Some(secret) => client.set_client_secret(ClientSecret::new(secret.expose().to_owned())),
        None => client,
    }
}

pub(crate) fn grant(response: &oauth2::basic::BasicTokenResponse) -> Result<TokenGrant> {
    let refresh_token = response.refresh_token().ok_or_else(|| {
        Error::SignInFailed("Xero returned no refresh token (was offline_access granted?).".to_owned())
    })?;
    let lifetime = response.expires_in().unwrap_or(DEFAULT_LIFETIME);
    let claims = jwt_claims(response.access_token().secret());
    let claim = |name: &str| claims.as_ref().and_then(|c| c.get(name)).and_then(|v| v.as_str()).map(str::to_owned);
    Ok(TokenGrant {
        access_token: Secret::new(response.access_token().secret().clone()),
        refresh_token: Secret::new(refresh_token.secret().clone()),
        access_expires_at: expires_at(UnixMillis::now(), lifetime),
        scopes: response.scopes().map(|s| s.iter().map(|s| s.to_string()).collect()).unwrap_or_default(),
        xero_user_id: claim("xero_userid"),
        auth_event_id: claim("authentication_event_id"),
    })
}

/// Xero's access tokens last 30 minutes; a token response without `expires_in` is taken as that.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(30 * 60);
/// The longest lifetime believed. `expires_in` is remote and untrusted (u64::MAX seconds once
/// overflowed the sum below); a shorter lifetime only means an earlier refresh, while a longer
/// one would keep using a token Xero has already expired.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 60 * 60);

/// When an access token given at `now` for `lifetime` expires, the lifetime clamped to a day.
pub(crate) fn expires_at(now: UnixMillis, lifetime: Duration) -> UnixMillis {
    let ms = i64::try_from(lifetime.min(MAX_LIFETIME).as_millis()).expect("a day in milliseconds fits");
    UnixMillis(now.0.saturating_add(ms))
}

/// The claims of a JWT, read without verifying it: it came straight from the token endpoint over
/// TLS, and only identifies whose token set it is.
pub(crate) fn jwt_claims(token: &str) -> Option<serde_json::Map<String, serde_json::Value>> {
    let payload = token.split('.').nth(1)?;
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    serde_json::from_slice(&bytes).ok()
}

fn token_error(error: RequestTokenError<HttpClientError<reqwest::Error>, oauth2::basic::BasicErrorResponse>) -> Error {
    match error {
        RequestTokenError::ServerResponse(response) => match response.error() {
            BasicErrorResponseType::InvalidGrant => Error::NeedsReconnect(
                "Xero no longer accepts this connection's sign-in (it expired, was revoked, or was replaced)"
                    .to_owned(),
            ),
            other => Error::SignInFailed(format!(
                "Xero answered {}{}.",
                other.as_ref(),
                response.error_description().map(|d| format!(": {}", super::printable(d, 200))).unwrap_or_default()
            )),
        },
        RequestTokenError::Request(HttpClientError::Reqwest(e)) => request_failed(*e, |e| e.to_string()),
        RequestTokenError::Request(HttpClientError::Other(sentence)) => Error::SignInFailed(sentence),
        RequestTokenError::Request(e) => Error::XeroUnreachable(e.to_string()),
        RequestTokenError::Parse(e, _) => {
            Error::SignInFailed(format!("Xero's token response could not be read ({e})."))
        }
        RequestTokenError::Other(e) => Error::SignInFailed(e),
    }
}

fn config_error(error: impl std::fmt::Display) -> Error {
    Error::InvalidInput(format!("The Xero app settings are not valid: {error}."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jwt_claims_are_read_from_the_payload() {
        let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
            .encode(br#"{"xero_userid":"user-1","authentication_event_id":"event-9"}"#);
        let claims = jwt_claims(&format!("header.{payload}.signature")).unwrap();
        assert_eq!(claims["xero_userid"], "user-1");
        assert_eq!(claims["authentication_event_id"], "event-9");
        assert!(jwt_claims("not-a-jwt").is_none());
        assert!(jwt_claims("a.!!!.c").is_none());
    }

    #[test]
    fn a_token_lifetime_is_clamped_to_a_day() {
        let now = UnixMillis(1_800_000_000_000);
        assert_eq!(expires_at(now, Duration::from_secs(1800)), UnixMillis(now.0 + 1_800_000));
        let day = UnixMillis(now.0 + 86_400_000);
        assert_eq!(expires_at(now, Duration::from_secs(u64::MAX)), day);
        assert_eq!(expires_at(UnixMillis(i64::MAX - 5), Duration::from_secs(60)), UnixMillis(i64::MAX));
        let response: oauth2::basic::BasicTokenResponse = serde_json::from_str(
            r#"{"access_token":"a","token_type":"Bearer","refresh_token":"r","expires_in":18446744073709551615}"#,
        )
        .unwrap();
        let expires = grant(&response).unwrap().access_expires_at.0 - UnixMillis::now().0;
        assert!((86_000_000..=86_400_000).contains(&expires), "{expires}");
    }
}
