//! Email addresses as people type them: checked, and the form two are compared in (staff access
//! and the Client Console's users).

/// An email address a person typed: trimmed; one `@`; a local part and a dotted domain of the
/// characters addresses really use; at most 254 characters. Returns it trimmed.
pub fn validate_email(email: &str) -> crate::error::Result<String> {
    let email = email.trim();
    let bad = |why: &str| Err(crate::error::Error::InvalidInput(format!("{email:?} is not an email address: {why}.")));
    if email.is_empty() {
        return Err(crate::error::Error::InvalidInput("An email address is needed.".to_owned()));
    }
    if email.chars().count() > 254 {
        return bad("it is longer than 254 characters");
    }
    let Some((local, domain)) = email.split_once('@') else { return bad("it has no @") };
    if domain.contains('@') {
        return bad("it has more than one @");
    }
    let local_ok = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+/=?^_`{|}~.-".contains(c);
    if local.is_empty()
        || local.len() > 64
        || !local.chars().all(local_ok)
        || local.starts_with('.')
        || local.ends_with('.')
        || local.contains("..")
    {
        return bad("the part before the @ is not valid");
    }
    let labels: Vec<&str> = domain.split('.').collect();
    let label_ok = |l: &&str| {
        !l.is_empty()
            && l.len() <= 63
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if labels.len() < 2 || !labels.iter().all(label_ok) {
        return bad("the part after the @ is not a domain such as example.com");
    }
    Ok(email.to_owned())
}

/// The form emails are compared in (one person, however they capitalised it).
pub fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}
