//! The mail server's part of the [`Session`] API: Settings → Client packs by email, a test
//! message, and the sender the client packs use.

use super::settings::{MailSettings, MailStatus, saved_password};
use super::transport::MailSender;
use crate::credential_store::os_store_from_env;
use crate::error::{Error, ErrorPayload, Result};
use crate::secret::Secret;
use crate::session::Session;

/// What sending says before the practice's mail server is set up.
pub const NOT_SET_UP: &str = "Set up the practice's mail server in Settings → Client packs by email first.";

impl Session {
    /// Settings → Client packs by email: the settings and whether a password is saved.
    pub fn mail_settings(&self) -> Result<MailStatus, ErrorPayload> {
        let cache = self.cache()?;
        let settings = MailSettings::load(&cache)?;
        let password_saved = match &settings {
            Some(_) => saved_password(&cache, &os_store_from_env()?)?.is_some(),
            None => false,
        };
        Ok(MailStatus { settings, password_saved })
    }

    /// Saves the mail server settings. `password`: `None` keeps the saved one, `Some("")`
    /// forgets it, anything else replaces it.
    pub fn save_mail_settings(
        &self,
        settings: &MailSettings,
        password: Option<String>,
    ) -> Result<MailStatus, ErrorPayload> {
        let store = os_store_from_env()?;
        settings.save(&mut *self.cache()?, &store, password.map(Secret::new).as_ref())?;
        self.mail_settings()
    }

    /// The practice's mail server, ready to send; an error saying so when it is not set up.
    pub fn mail_sender(&self) -> Result<MailSender> {
        let cache = self
            .cache()
            .map_err(|unusable| Error::CacheUnavailable { path: self.cache_path.clone(), detail: unusable.message })?;
        let Some(settings) = MailSettings::load(&cache)? else {
            return Err(Error::Mail(NOT_SET_UP.to_owned()));
        };
        let password = match settings.username {
            Some(_) => saved_password(&cache, &os_store_from_env()?)?,
            None => None,
        };
        MailSender::new(&settings, password)
    }
}
