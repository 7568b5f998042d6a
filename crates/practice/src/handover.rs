//! The token hand-over: a staff member connects a client file on their own desktop, and the new
//! token set goes to the sync host, which makes every Xero call. The desktop encrypts it to the
//! sync host's age X25519 key ([`PracticeDb::offer_token_set`]); only that ciphertext reaches the
//! database, and only until the sync host takes it into its OS credential store
//! ([`take_all`]), which deletes the row in the same transaction.

use switchboard_core::credential_store::CredentialStore;
use switchboard_core::secret::Secret;

use crate::connect::PracticeDb;
use crate::error::{Error, Result, from_db};
use crate::sync_host::{SyncHostIdentity, registered_recipient};

/// What one [`take_all`] did.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct TakeReport {
    /// Hand-overs taken into the credential store (and deleted from the database).
    pub taken: Vec<i64>,
    /// Hand-overs this sync host cannot decrypt, left in place, with why.
    pub refused: Vec<(i64, String)>,
}

/// The key of a taken token set in the sync host's credential store: it names the practice
/// database's server and the hand-over, whose files `sync_token_sets` lists.
pub fn token_set_key(db: &PracticeDb, handover: i64) -> String {
    format!("practice/{}/sync-host/token-set/{handover}", db.server().host_port())
}

impl PracticeDb {
    /// Hands a new token set (Xero's JSON, as the desktop's consent produced it) for `file_ids`
    /// to the sync host: encrypted here to the registered sync host's key, and written as
    /// ciphertext only. Returns the hand-over's id. The files must be ones this staff member
    /// may see.
    pub async fn offer_token_set(&self, file_ids: &[i64], token_set: &Secret) -> Result<i64> {
        if file_ids.is_empty() {
            return Err(Error::Invalid("a token set is handed over for at least one client file".into()));
        }
        let client = self.client().await?;
        let recipient_text = registered_recipient(&client).await?;
        let recipient: age::x25519::Recipient = recipient_text
            .parse()
            .map_err(|e| Error::Database(format!("the registered sync host key is not an age key: {e}")))?;
        let ciphertext = age::encrypt(&recipient, token_set.expose().as_bytes())
            .map_err(|e| Error::Invalid(format!("the token set could not be encrypted: {e}")))?;
        let row = client
            .query_one(
                "INSERT INTO token_handovers (file_ids, ciphertext, recipient) VALUES ($1, $2, $3) RETURNING id",
                &[&file_ids, &ciphertext, &recipient_text],
            )
            .await
            .map_err(from_db)?;
        Ok(row.get(0))
    }
}

/// Takes every hand-over waiting into `store`, as the sync host (signed in as the practice's
/// owner). Each in its own transaction: the row is locked (`SKIP LOCKED`, so two takers never
/// share one), decrypted, written to the store, and only then deleted and committed. Killed
/// anywhere, a row is either still in the database (and taken again: the write is idempotent) or
/// its token set is in the store; it is never lost. A row encrypted to another key is refused,
/// left in place and audited.
pub async fn take_all(db: &PracticeDb, identity: &SyncHostIdentity, store: &dyn CredentialStore) -> Result<TakeReport> {
    let mut report = TakeReport::default();
    let mut client = db.client().await?;
    let mine = identity.recipient();
    let mut after = 0_i64;
    loop {
        let tx = client.transaction().await.map_err(from_db)?;
        let row = tx
            .query_opt(
                "SELECT id, file_ids, ciphertext, recipient, offered_by, offered_at, refused FROM token_handovers \
                 WHERE id > $1 ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED",
                &[&after],
            )
            .await
            .map_err(from_db)?;
        let Some(row) = row else {
            tx.commit().await.map_err(from_db)?;
            return Ok(report);
        };
        let id: i64 = row.get(0);
        after = id;
        let file_ids: Vec<i64> = row.get(1);
        let ciphertext: Vec<u8> = row.get(2);
        let recipient: String = row.get(3);
        let refused_before: Option<String> = row.get(6);
        let refusal = if recipient != mine {
            Some(format!(
                "hand-over {id} was encrypted to sync host key {recipient}, not this sync host's ({mine}); \
                 it is left in place: the staff member connects the file again"
            ))
        } else {
            match identity.decrypt(&ciphertext) {
                Ok(token_set) => {
                    // The store first: a kill after this leaves the row, taken again next time.
                    store.set(&token_set_key(db, id), &token_set).map_err(|e| Error::CredentialStore(e.to_string()))?;
                    None
                }
                Err(why) => Some(format!(
                    "hand-over {id} could not be decrypted with this sync host's key ({why}); it is left in place"
                )),
            }
        };
        if let Some(why) = refusal {
            // Audited once, not at every run while the row waits for someone to act.
            if refused_before.as_deref() != Some(why.as_str()) {
                tx.execute("UPDATE token_handovers SET refused = $2 WHERE id = $1", &[&id, &why])
                    .await
                    .map_err(from_db)?;
                audit_files(&tx, &file_ids, "token hand-over refused", &why).await?;
            }
            tx.commit().await.map_err(from_db)?;
            report.refused.push((id, why));
            continue;
        }
        tx.execute(
            "INSERT INTO sync_token_sets (id, file_ids, offered_by, offered_at) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET file_ids = excluded.file_ids, taken_at = now()",
            &[&id, &file_ids, &row.get::<_, String>(4), &row.get::<_, chrono::DateTime<chrono::Utc>>(5)],
        )
        .await
        .map_err(from_db)?;
        tx.execute("DELETE FROM token_handovers WHERE id = $1", &[&id]).await.map_err(from_db)?;
        audit_files(&tx, &file_ids, "token set taken by the sync host", &format!("hand-over {id}")).await?;
        tx.commit().await.map_err(from_db)?;
        report.taken.push(id);
    }
}

async fn audit_files(tx: &tokio_postgres::Transaction<'_>, file_ids: &[i64], action: &str, text: &str) -> Result<()> {
    for file in file_ids {
        tx.execute("SELECT practice_audit($1, $2, NULL, $3)", &[file, &action, &text]).await.map_err(from_db)?;
    }
    Ok(())
}
