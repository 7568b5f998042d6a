//! The Xero calls behind the Settings menu: listing an organisation's users, and disconnecting an
//! organisation (`DELETE /connections/{id}`) before its file is deleted. Both go through the
//! rate limiter and the token vault like a sync does.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::api::{CallError, XeroApi};
use super::body_cap::BodyCap;
use super::sync::XeroContext;
use super::token_vault::lock;
use crate::cache::{TokenSetId, UsersFetch};
use crate::client_settings::user_access::{UserAccess, XeroUser};
use crate::error::{Error, Result};
use crate::model::{FileId, UnixMillis};
use crate::secret::Secret;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct UsersResponse {
    #[serde(default)]
    users: Vec<UserJson>,
}

/// A `User` of the Accounting API; every field is remote text, lenient when missing.
#[derive(Deserialize)]
struct UserJson {
    #[serde(rename = "UserID")]
    user_id: String,
    #[serde(rename = "EmailAddress", default)]
    email_address: Option<String>,
    #[serde(rename = "FirstName", default)]
    first_name: Option<String>,
    #[serde(rename = "LastName", default)]
    last_name: Option<String>,
    #[serde(rename = "IsSubscriber", default)]
    is_subscriber: Option<bool>,
    #[serde(rename = "OrganisationRole", default)]
    organisation_role: Option<String>,
    /// `/Date(ms+0000)/`: when Xero last changed the user, on Xero's clock.
    #[serde(rename = "UpdatedDateUTC", default)]
    updated_date_utc: Option<String>,
}

fn text(value: Option<String>, max: usize) -> String {
    super::printable(value.as_deref().unwrap_or("").trim(), max)
}

/// Reads a `GET Users` answer.
pub fn parse_users(body: &[u8]) -> Result<Vec<XeroUser>, CallError> {
    Ok(parse_users_with_newest(body)?.0)
}

/// Reads a `GET Users` answer, with the latest `UpdatedDateUTC` in it (the next refresh asks
/// for changes after that: Xero's own clock, so this computer's clock does not matter).
fn parse_users_with_newest(body: &[u8]) -> Result<(Vec<XeroUser>, Option<UnixMillis>), CallError> {
    let response: UsersResponse = serde_json::from_slice(body).map_err(|e| CallError::Malformed(e.to_string()))?;
    let newest =
        response.users.iter().filter_map(|u| crate::reports::parse::ms_date(u.updated_date_utc.as_deref()?)).max();
    let users = response
        .users
        .into_iter()
        .map(|u| XeroUser {
            user_id: super::printable(&u.user_id, 64),
            first_name: text(u.first_name, 100),
            last_name: text(u.last_name, 100),
            email: text(u.email_address, 254),
            role: text(u.organisation_role, 40),
            is_subscriber: u.is_subscriber.unwrap_or(false),
        })
        .collect();
    Ok((users, newest))
}

impl XeroApi {
    /// `GET api.xro/2.0/Users` with `If-Modified-Since`: only the users created or changed after
    /// `since` (Xero documents the header for this endpoint; a removed user is not reported).
    /// `None`: every user.
    pub async fn users_changed_since(
        &self,
        access: &Secret,
        tenant: &str,
        since: Option<UnixMillis>,
    ) -> Result<(Vec<XeroUser>, Option<UnixMillis>), CallError> {
        let url = self.endpoints().api_url("api.xro/2.0/Users");
        let header: Vec<(&'static str, String)> = since
            .and_then(|t| chrono::DateTime::from_timestamp_millis(t.0))
            .map(|t| ("if-modified-since", t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)))
            .into_iter()
            .collect();
        match self.get_with(url, access, tenant, BodyCap::USERS, &header).await {
            Ok(body) => parse_users_with_newest(&body),
            // Xero's spec lists only 200 (with the changed users, maybe none); a 304 would say
            // the same thing, so it is taken as "no change" rather than a failure.
            Err(CallError::Status { status: 304, .. }) if since.is_some() => Ok((Vec::new(), None)),
            Err(e) => Err(e),
        }
    }

    /// `DELETE /connections/{id}`. A 404 means the connection is already gone, which is what
    /// was asked. Counted against the tenant's rate limits (no `xero-tenant-id` is sent).
    pub async fn delete_connection(&self, access: &Secret, connection_id: &str, tenant: &str) -> Result<(), CallError> {
        let id: String = url::form_urlencoded::byte_serialize(connection_id.as_bytes()).collect();
        let url = self.endpoints().api_url(&format!("connections/{id}"));
        match self
            .call(
                reqwest::Method::DELETE,
                url,
                access,
                None,
                Some(tenant),
                "application/json",
                BodyCap::ACKNOWLEDGEMENT,
            )
            .await
        {
            Ok(_) => Ok(()),
            Err(CallError::Status { status: 404, .. }) => Ok(()),
            Err(e) => Err(e),
        }
    }
}

/// How old a file's last full user list may be before "refresh every file" fetches the full
/// list again rather than only the changes. Xero reports no removals in a changes-only answer, so
/// a user removed from an organisation stays listed until the next full list: at most this long
/// after a full refresh (and never past a person refreshing that one file).
pub const FULL_USERS_EVERY: std::time::Duration = std::time::Duration::from_secs(24 * 60 * 60);

/// What refreshing every file's user list did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, TS)]
pub struct UserAccessRefresh {
    pub fetched: u32,
    /// Files Xero did not answer for (their last list, if any, is kept).
    pub failed: u32,
}

impl XeroContext {
    /// A call made with the token set's access token, retried once with a refreshed token when
    /// Xero rejects the token itself (as a sync does).
    async fn with_access<T, F, Fut>(&self, token_set: TokenSetId, call: F) -> Result<std::result::Result<T, CallError>>
    where
        F: Fn(Secret) -> Fut,
        Fut: Future<Output = std::result::Result<T, CallError>>,
    {
        let access = self.access_token(token_set, None).await?;
        match call(access.clone()).await {
            Err(e) if e.token_rejected() => {
                let fresh = self.access_token(token_set, Some(&access)).await?;
                Ok(call(fresh).await)
            }
            other => Ok(other),
        }
    }

    /// Fetches who can reach the file's organisation from Xero (the full list: a person asked
    /// about this one organisation) and caches it.
    pub async fn refresh_user_access(&self, file: FileId) -> Result<UserAccess> {
        self.refresh_users(file, false).await
    }

    /// `changes_only`: ask Xero only for the users changed since the newest change cached, when
    /// the cached list was fetched in full within [`FULL_USERS_EVERY`]; otherwise the full list.
    async fn refresh_users(&self, file: FileId, changes_only: bool) -> Result<UserAccess> {
        let (token_set, tenant) = {
            let cache = lock(&self.cache);
            let tenant = cache.file(file)?.xero.map(|x| x.tenant_id);
            (cache.token_set_of(file)?, tenant)
        };
        let (Some(token_set), Some(tenant)) = (token_set, tenant) else {
            return Err(Error::InvalidInput(
                "This file is not connected through Xero, so Xero cannot say who can reach it. Connect it first."
                    .to_owned(),
            ));
        };
        let since = match changes_only {
            true => lock(&self.cache)
                .users_changed_since(file, UnixMillis(UnixMillis::now().0 - FULL_USERS_EVERY.as_millis() as i64))?,
            false => None,
        };
        let (users, newest_update) = self
            .with_access(token_set.id, |access| {
                let tenant = tenant.clone();
                async move { self.api.users_changed_since(&access, &tenant, since).await }
            })
            .await?
            .map_err(|e| refused("list the organisation's users", &e))?;
        let fetch = match since {
            Some(_) => UsersFetch::Changes { newest_update },
            None => UsersFetch::Full { newest_update },
        };
        let mut cache = lock(&self.cache);
        cache.store_xero_users(file, &users, fetch)?;
        cache.user_access(file)
    }

    /// Fetches the users of every file with a working Xero sign-in (for the practice-wide "who
    /// can see what" report), all at once under the rate limiter. One file failing never stops
    /// the others.
    pub async fn refresh_all_user_access(&self) -> Result<UserAccessRefresh> {
        let files: Vec<FileId> = lock(&self.cache).sync_targets()?.into_iter().map(|t| t.file).collect();
        let outcomes = futures::future::join_all(files.iter().map(|file| self.refresh_users(*file, true))).await;
        let mut report = UserAccessRefresh::default();
        for outcome in outcomes {
            match outcome {
                Ok(_) => report.fetched += 1,
                Err(e) => {
                    tracing::debug!(kind = ?e.kind(), "a file's users could not be fetched");
                    report.failed += 1;
                }
            }
        }
        Ok(report)
    }

    /// Disconnects the organisation from Switchboard's Xero app. Without a known connection id,
    /// it is looked up in `/connections` by tenant (absent there: already disconnected). Any
    /// failure is an error that says why, and nothing else has been changed.
    pub async fn disconnect_organisation(
        &self,
        token_set: TokenSetId,
        connection_id: Option<&str>,
        tenant: &str,
    ) -> Result<()> {
        self.with_access(token_set, |access| async move {
            let id = match connection_id {
                Some(id) => id.to_owned(),
                None => match self.api.connections(&access, None).await?.into_iter().find(|c| c.tenant_id == tenant) {
                    Some(connection) => connection.id,
                    None => return Ok(()),
                },
            };
            self.api.delete_connection(&access, &id, tenant).await
        })
        .await?
        .map_err(|e| refused("disconnect the organisation", &e))
    }
}

/// A failed call as a sentence: unreachable is "check the connection", the rest "Xero refused".
fn refused(what: &str, error: &CallError) -> Error {
    match error {
        CallError::Unreachable(_) | CallError::Untrusted(_) => error.unreachable(),
        _ if error.tenant_unreachable() => Error::XeroRefused(format!(
            "Xero did not let Switchboard {what}: this sign-in no longer reaches the organisation. Reconnect it and try again."
        )),
        _ => Error::XeroRefused(format!("Xero did not let Switchboard {what}: {} Try again later.", error.reason())),
    }
}
