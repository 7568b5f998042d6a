//! How a token set is laid out in the OS credential store.
//!
//! Windows Credential Manager holds at most 2,560 bytes per entry, and the `keyring` crate stores
//! a password there as UTF-16: 1,280 characters. Xero's access tokens are JWTs of 1.2–2.5 KB that
//! grow with the scopes granted, so a set cannot be one entry. It is stored as:
//!
//! * `cache/<cache id>/token-set/<id>/refresh`: the refresh token, with how many parts the access
//!   token has and its SHA-256 (JSON, ~200 characters whatever the scopes);
//! * `cache/<cache id>/token-set/<id>/access/<n>`: the access token in parts of at most
//!   [`PART_UNITS`] UTF-16 units, well within the limit.
//!
//! The refresh token is what must survive: without it a person has to connect again. Its entry is
//! small, written in one call, and written *last*, so it is the commit point: a crash while the
//! parts are written leaves the previous refresh entry in place, whose checksum no longer matches
//! the parts. A torn access token is then read as missing and the vault refreshes, which is
//! harmless (after a lost refresh Xero's 30-minute grace gives the same new pair again). Parts are
//! always written from 0 up, so the first missing part marks the end of any leftovers.
//!
//! Every key names the cache it belongs to, so two caches (or a cache started fresh beside an
//! unusable one) never share or overwrite a set. Before migration 008 a set was one JSON entry,
//! `token-set/<id>`, shared by every cache that had a set with that id; see [`read_legacy`].

use sha2::{Digest, Sha256};

use crate::credential_store::CredentialStore;
use crate::error::{Error, Result};
use crate::secret::Secret;

/// At most this many UTF-16 units per access-token part: 1,280 fit in Windows' entry, and the
/// margin leaves room should `keyring` or Windows ever add a terminator or header.
pub const PART_UNITS: usize = 1_000;

/// A token set as read back: the access token is `None` when its parts are missing or torn.
pub struct StoredPair {
    pub access_token: Option<Secret>,
    pub refresh_token: Secret,
}

/// The entries of one token set of one cache.
pub struct TokenEntries<'a> {
    store: &'a dyn CredentialStore,
    prefix: String,
}

impl<'a> TokenEntries<'a> {
    pub fn new(store: &'a dyn CredentialStore, cache_id: &str, token_set: i64) -> Self {
        TokenEntries { store, prefix: token_set_prefix(cache_id, token_set) }
    }

    fn refresh_key(&self) -> String {
        format!("{}/refresh", self.prefix)
    }

    fn part_key(&self, n: usize) -> String {
        format!("{}/access/{n}", self.prefix)
    }

    /// `None` when the set has no refresh entry (never written, or forgotten).
    pub fn read(&self) -> Result<Option<StoredPair>> {
        let Some(entry) = self.store.get(&self.refresh_key())? else { return Ok(None) };
        let entry: serde_json::Value = serde_json::from_str(entry.expose())
            .map_err(|_| Error::NeedsReconnect("its stored tokens could not be read".to_owned()))?;
        let refresh_token = entry["refresh_token"]
            .as_str()
            .map(Secret::new)
            .ok_or_else(|| Error::NeedsReconnect("its stored tokens are incomplete".to_owned()))?;
        let parts = entry["access_parts"].as_u64().unwrap_or(0) as usize;
        let mut access = String::new();
        for n in 0..parts {
            match self.store.get(&self.part_key(n))? {
                Some(part) => access.push_str(part.expose()),
                None => return Ok(Some(StoredPair { access_token: None, refresh_token })),
            }
        }
        let whole = parts > 0 && entry["access_sha256"].as_str() == Some(sha256_hex(&access).as_str());
        Ok(Some(StoredPair { access_token: whole.then(|| Secret::new(access)), refresh_token }))
    }

    /// Writes the pair: the access token's parts first, then the refresh entry (the commit point),
    /// then removes parts an earlier, longer access token left.
    pub fn write(&self, access: &Secret, refresh: &Secret) -> Result<()> {
        let parts = split_utf16(access.expose(), PART_UNITS);
        for (n, part) in parts.iter().enumerate() {
            self.store.set(&self.part_key(n), &Secret::new(*part))?;
        }
        let entry = serde_json::json!({
            "refresh_token": refresh.expose(),
            "access_parts": parts.len(),
            "access_sha256": sha256_hex(access.expose()),
        });
        self.store.set(&self.refresh_key(), &Secret::new(entry.to_string()))?;
        self.delete_parts_from(parts.len())
    }

    /// Removes every entry of the set; the refresh entry last, so that an interrupted removal
    /// leaves a set that still works rather than stray parts nothing points to.
    pub fn delete(&self) -> Result<()> {
        self.delete_parts_from(0)?;
        self.store.delete(&self.refresh_key())
    }

    fn delete_parts_from(&self, first: usize) -> Result<()> {
        let mut n = first;
        while self.store.get(&self.part_key(n))?.is_some() {
            self.store.delete(&self.part_key(n))?;
            n += 1;
        }
        Ok(())
    }
}

/// Where one cache's entries for one token set start (`cache/<cache id>/token-set/<id>`).
pub fn token_set_prefix(cache_id: &str, token_set: i64) -> String {
    format!("cache/{cache_id}/token-set/{token_set}")
}

/// The key of the single JSON entry a set had before migration 008 (not unique per cache).
pub(crate) fn legacy_key(token_set: i64) -> String {
    format!("token-set/{token_set}")
}

/// The set's tokens from its legacy entry, if there is one and it is this set's: the entry was
/// shared by every cache with a set of that id, so one whose access token names another Xero user
/// than `xero_user_id` belongs to another cache and is left alone.
pub(crate) fn read_legacy(
    store: &dyn CredentialStore,
    token_set: i64,
    xero_user_id: Option<&str>,
) -> Result<Option<(Secret, Secret)>> {
    let Some(stored) = store.get(&legacy_key(token_set))? else { return Ok(None) };
    let Ok(value) = serde_json::from_str::<serde_json::Value>(stored.expose()) else { return Ok(None) };
    let field = |name: &str| value.get(name).and_then(|v| v.as_str()).map(Secret::new);
    let (Some(access), Some(refresh)) = (field("access_token"), field("refresh_token")) else { return Ok(None) };
    let owner = super::sign_in::jwt_claims(access.expose())
        .and_then(|claims| claims.get("xero_userid").and_then(|v| v.as_str()).map(str::to_owned));
    match (owner.as_deref(), xero_user_id) {
        (Some(owner), Some(expected)) if owner != expected => Ok(None),
        _ => Ok(Some((access, refresh))),
    }
}

/// `text` cut into pieces of at most `max_units` UTF-16 units, never inside a character.
fn split_utf16(text: &str, max_units: usize) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut units) = (0, 0);
    for (at, c) in text.char_indices() {
        if units + c.len_utf16() > max_units {
            parts.push(&text[start..at]);
            (start, units) = (at, 0);
        }
        units += c.len_utf16();
    }
    if start < text.len() {
        parts.push(&text[start..]);
    }
    parts
}

fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes()).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::credential_store::MemoryCredentialStore;

    #[test]
    fn text_is_split_on_character_boundaries_within_the_limit() {
        assert_eq!(split_utf16("abcdefg", 3), ["abc", "def", "g"]);
        assert_eq!(split_utf16("", 3), Vec::<&str>::new());
        // '😀' is two UTF-16 units: it never straddles a part.
        assert_eq!(split_utf16("ab😀c", 3), ["ab", "😀c"]);
    }

    #[test]
    fn a_torn_access_token_reads_as_missing_but_the_refresh_token_survives() {
        let store = MemoryCredentialStore::default();
        let entries = TokenEntries::new(&store, "c1", 1);
        let old = Secret::new("o".repeat(2_500));
        entries.write(&old, &Secret::new("refresh-1")).unwrap();
        assert_eq!(entries.read().unwrap().unwrap().access_token, Some(old));
        // A new access token's first part was written, then the process died.
        store.set("cache/c1/token-set/1/access/0", &Secret::new("n".repeat(PART_UNITS))).unwrap();
        let pair = entries.read().unwrap().unwrap();
        assert_eq!(pair.access_token, None);
        assert_eq!(pair.refresh_token.expose(), "refresh-1");
    }

    #[test]
    fn a_shorter_access_token_leaves_no_stray_parts_and_delete_removes_everything() {
        let store = MemoryCredentialStore::default();
        let entries = TokenEntries::new(&store, "c1", 1);
        entries.write(&Secret::new("x".repeat(2_500)), &Secret::new("r1")).unwrap();
        assert_eq!(store.keys().len(), 4);
        entries.write(&Secret::new("short"), &Secret::new("r2")).unwrap();
        assert_eq!(store.keys(), ["cache/c1/token-set/1/access/0", "cache/c1/token-set/1/refresh"]);
        entries.delete().unwrap();
        assert!(store.keys().is_empty());
    }
}
