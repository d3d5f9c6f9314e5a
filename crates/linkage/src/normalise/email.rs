//! Email addresses: trimmed, lowercased, `+tags` removed, and Gmail's ignored dots removed, so
//! the same mailbox written two ways compares equal. Validation is deliberately loose (one `@`,
//! a dotted domain): the goal is matching, not deliverability.

/// Longest address accepted (RFC 5321 limit).
pub const MAX_EMAIL: usize = 254;

/// Normalises an email address, or `None` when it cannot be one.
pub fn normalise(raw: &str) -> Option<String> {
    let s = raw.trim();
    if s.is_empty() || s.len() > MAX_EMAIL || !s.is_ascii() {
        return None;
    }
    let s = s.to_ascii_lowercase();
    let (local, domain) = s.split_once('@')?;
    if domain.contains('@') || local.is_empty() || s.contains(char::is_whitespace) {
        return None;
    }
    let domain = domain.trim_end_matches('.');
    let labels: Vec<&str> = domain.split('.').collect();
    if labels.len() < 2 || labels.iter().any(|l| l.is_empty()) {
        return None;
    }
    let local = local.split('+').next().unwrap_or(local);
    let (local, domain) = if domain == "gmail.com" || domain == "googlemail.com" {
        (local.replace('.', ""), "gmail.com")
    } else {
        (local.to_string(), domain)
    };
    if local.is_empty() {
        return None;
    }
    Some(format!("{local}@{domain}"))
}

/// The part before `@` of a normalised address.
pub fn local_part(normalised: &str) -> &str {
    normalised.split('@').next().unwrap_or(normalised)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn normalises() {
        assert_eq!(normalise(" Jane.Doe+police@GoogleMail.com "), Some("janedoe@gmail.com".into()));
        assert_eq!(normalise("j.doe@example.co.uk"), Some("j.doe@example.co.uk".into()));
        assert_eq!(normalise("nobody"), None);
        assert_eq!(normalise("a@b"), None);
        assert_eq!(normalise("a@@b.com"), None);
        assert_eq!(local_part("x@y.com"), "x");
    }

    proptest! {
        #[test]
        fn never_panics_and_is_idempotent(s in "\\PC{0,300}") {
            if let Some(e) = normalise(&s) {
                prop_assert_eq!(normalise(&e), Some(e.clone()));
            }
        }
    }
}
