//! The Session's client-pack API: preview, Send now, the packs due during a sync, and what was
//! sent. The mail server is never called while the cache is locked: packs are written under the
//! lock, sent without it, and each attempt recorded under it again.

use chrono::{Local, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use super::contents::{ClientPack, build_pack};
use super::delivery::{PackDelivery, PackRun, PackTrigger, is_due};
use super::mail::{MailSender, MailSettings, NOT_SET_UP, OutgoingMail};
use super::render::{RenderedPack, render_pack};
use crate::cache::PackAttempt;
use crate::error::{Error, ErrorPayload};
use crate::model::{FileId, UnixMillis};
use crate::session::Session;
use crate::settings::console::{ConsoleRole, ConsoleSettings, ConsoleUser};

type IpcResult<T> = Result<T, ErrorPayload>;

/// The pack exactly as one console user will get it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct PackPreview {
    /// Who it is addressed to; `None` when the file has no console users yet (then it is addressed
    /// to a sample owner, and nothing can be sent).
    pub to: Option<ConsoleUser>,
    pub subject: String,
    pub html: String,
    pub text: String,
    /// Why Send now cannot work yet (no mail server, no console users), if so.
    pub cannot_send: Option<String>,
}

/// Stands in for the practice's name in a preview before the mail server is set up.
const PRACTICE_NAME_UNSET: &str = "Your practice";

impl Session {
    /// The pack of `id` as `settings` (perhaps not saved yet) would make it, addressed to
    /// `user_id` or to the file's first console user.
    pub fn preview_pack(&self, id: FileId, settings: &ConsoleSettings, user_id: Option<i64>) -> IpcResult<PackPreview> {
        // The settings alone, not the sender: a preview (one per click in the dialog) never reads
        // the credential store.
        let cache = self.cache()?;
        let mail = MailSettings::load(&cache)?;
        let practice = mail.as_ref().map_or(PRACTICE_NAME_UNSET, |m| m.from_name.as_str());
        let users = cache.console_users(id)?;
        let pack = build_pack(&cache, id, settings, practice, Local::now().date_naive())?;
        drop(cache);
        let to = match user_id {
            Some(wanted) => Some(
                users
                    .iter()
                    .find(|u| u.id == wanted)
                    .cloned()
                    .ok_or_else(|| Error::NotFound { what: "That console user".to_owned() })?,
            ),
            None => users.first().cloned(),
        };
        let sample = ConsoleUser {
            id: 0,
            file_id: id,
            name: "Console user".to_owned(),
            email: String::new(),
            role: ConsoleRole::Owner,
            updated_at: UnixMillis(0),
        };
        let RenderedPack { subject, html, text } = render_pack(&pack, to.as_ref().unwrap_or(&sample))?;
        let cannot_send = match (mail, users.is_empty()) {
            (None, _) => Some(NOT_SET_UP.to_owned()),
            (Some(_), true) => Some(no_users(&pack)),
            (Some(_), false) => None,
        };
        Ok(PackPreview { to, subject, html, text, cannot_send })
    }

    /// Sends the file's pack to every console user now, whatever the cadence. Answers each
    /// attempt; a failed one says why (and is retried on the next sync if the cadence is due).
    pub fn send_pack_now(&self, id: FileId) -> IpcResult<Vec<PackDelivery>> {
        let sender = self.mail_sender()?;
        let (pack, users) = {
            let cache = self.cache()?;
            let settings = cache.console_settings(id)?;
            let pack = build_pack(&cache, id, &settings, sender.practice_name(), Local::now().date_naive())?;
            (pack, cache.console_users(id)?)
        };
        if users.is_empty() {
            return Err(Error::InvalidInput(no_users(&pack)).into());
        }
        self.send_to(&sender, &pack, &users, PackTrigger::SendNow)?;
        Ok(self.cache()?.latest_pack_deliveries(id)?)
    }

    /// Each console user's latest pack, sent or failed.
    pub fn pack_deliveries(&self, id: FileId) -> IpcResult<Vec<PackDelivery>> {
        Ok(self.cache()?.latest_pack_deliveries(id)?)
    }

    /// Sends every pack whose cadence is due `today` (the practice's local date), to the users
    /// of files whose console is on. Run by `switchboard sync` after the sync.
    pub fn send_due_packs(&self, today: NaiveDate) -> IpcResult<PackRun> {
        let mut run = PackRun::default();
        let due: Vec<(ClientPack, Vec<ConsoleUser>)> = {
            let cache = self.cache()?;
            let mut due = Vec::new();
            for (file, settings) in cache.files_with_pack_cadence()? {
                let mut users = Vec::new();
                for user in cache.console_users(file)? {
                    if is_due(settings.cadence, cache.last_pack_sent_on(user.id)?, today) {
                        users.push(user);
                    }
                }
                if !users.is_empty() {
                    // The practice's name is filled in once the mail server is known, below.
                    due.push((build_pack(&cache, file, &settings, "", today)?, users));
                }
            }
            due
        };
        if due.is_empty() {
            return Ok(run);
        }
        let sender = match self.mail_sender() {
            Ok(sender) => sender,
            Err(why) => {
                run.skipped = due.iter().map(|(pack, _)| (pack.file, why.to_string())).collect();
                return Ok(run);
            }
        };
        for (mut pack, users) in due {
            pack.practice_name = sender.practice_name().to_owned();
            for (user, failure) in self.send_to(&sender, &pack, &users, PackTrigger::Cadence)? {
                match failure {
                    None => run.sent += 1,
                    Some(why) => run.failed.push((pack.file, user.mailbox(), why)),
                }
            }
        }
        Ok(run)
    }

    /// Sends `pack` to each user, recording every attempt; answers each user with the failure,
    /// if any.
    fn send_to<'u>(
        &self,
        sender: &MailSender,
        pack: &ClientPack,
        users: &'u [ConsoleUser],
        trigger: PackTrigger,
    ) -> IpcResult<Vec<(&'u ConsoleUser, Option<String>)>> {
        let mut outcomes = Vec::new();
        for user in users {
            let rendered = render_pack(pack, user)?;
            let mail = OutgoingMail {
                to_name: user.name.clone(),
                to_email: user.email.clone(),
                subject: rendered.subject,
                html: rendered.html,
                text: rendered.text,
            };
            let failure = sender.send(&mail).err().map(|e| e.to_string());
            let attempt = PackAttempt {
                user,
                at: UnixMillis::now(),
                on: pack.made_on,
                trigger,
                outcome: failure.as_deref().map_or(Ok(()), Err),
                summary: &summary(pack, user),
            };
            let mut cache = self.cache()?;
            cache.record_pack_attempt(pack.file, &attempt)?;
            outcomes.push((user, failure));
        }
        Ok(outcomes)
    }
}

fn no_users(pack: &ClientPack) -> String {
    format!(
        "{} has no console users, so the pack goes to nobody. Add the client's people in Settings → Client Console users.",
        pack.client_name
    )
}

/// What a pack held, for the audit log: "4 key figures, 2 things to act on".
fn summary(pack: &ClientPack, user: &ConsoleUser) -> String {
    let mut parts = Vec::new();
    if let Some(figures) = &pack.key_figures {
        let known = figures.iter().filter(|f| f.amount.is_some()).count();
        parts.push(format!("{known} of {} key figures", figures.len()));
    }
    if let (Some(items), true) = (&pack.action_items, user.role.gets_action_items()) {
        parts.push(format!("{} things to act on", items.len()));
    }
    parts.join(", ")
}
