//! Caller details as the linkage engine reads them. The contact keeps one free-text name; the
//! engine wants given name and surname, so the last word is taken as the surname (how a handler
//! types "Jane Smith"); a single word is taken as a surname.

use fc_domain::CallerDetails;
use fc_linkage::RawRecord;

/// Owned strings behind a [`RawRecord`] (which borrows).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RawParts {
    /// Given name(s).
    pub given: String,
    /// Surname.
    pub surname: String,
    /// Date of birth as written (ISO, possibly partial).
    pub dob: String,
    /// Postcode.
    pub postcode: String,
    /// Address.
    pub address: String,
    /// Phone.
    pub phone: String,
    /// Email.
    pub email: String,
}

impl RawParts {
    /// The borrowed record for the engine.
    pub fn raw(&self) -> RawRecord<'_> {
        RawRecord {
            given_name: &self.given,
            surname: &self.surname,
            dob: &self.dob,
            postcode: &self.postcode,
            address: &self.address,
            phone: &self.phone,
            email: &self.email,
            lat: None,
            lon: None,
        }
    }
}

/// Splits a contact's caller details into the engine's fields. The contact's location is left
/// out on purpose: it is where the incident is, not where the caller lives.
pub fn raw_parts(c: &CallerDetails) -> RawParts {
    let name = c.name.as_deref().unwrap_or("").trim();
    let (given, surname) = match name.rsplit_once(char::is_whitespace) {
        Some((g, s)) => (g.trim().to_string(), s.trim().to_string()),
        None => (String::new(), name.to_string()),
    };
    RawParts {
        given,
        surname,
        dob: c.date_of_birth.map(|d| d.to_string()).unwrap_or_default(),
        postcode: c.postcode.as_ref().map(|p| p.to_string()).unwrap_or_default(),
        address: c.address.clone().unwrap_or_default(),
        phone: c.phone.clone().unwrap_or_default(),
        email: c.email.clone().unwrap_or_default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn last_word_is_the_surname() {
        let c = CallerDetails { name: Some("Mary Ann  Jones".into()), ..Default::default() };
        let p = raw_parts(&c);
        assert_eq!((p.given.as_str(), p.surname.as_str()), ("Mary Ann", "Jones"));
        let c = CallerDetails { name: Some("Jones".into()), ..Default::default() };
        assert_eq!(raw_parts(&c).surname, "Jones");
    }
}
