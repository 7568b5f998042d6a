//! Fetching who can reach an organisation from Xero (`GET Users` of the Accounting API:
//! <https://developer.xero.com/documentation/api/accounting/users>), through the rate limiter and
//! the token vault like a sync.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::users::{UserAccess, XeroUser};
use crate::cache::UsersFetch;
use crate::error::{Error, Result};
use crate::model::{FileId, UnixMillis};
use crate::secret::Secret;
use crate::xero::api::{CallError, XeroApi};
use crate::xero::body_cap::BodyCap;
use crate::xero::context::{XeroContext, refused};
use crate::xero::printable;
use crate::xero::token_vault::lock;

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
    printable(value.as_deref().unwrap_or("").trim(), max)
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
            user_id: printable(&u.user_id, 64),
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
}
