//! The ways the public reaches the police. Queues, service levels and routing all key on this.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A contact channel. The serialised names are stable API values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub enum Channel {
    /// 999 emergency call, connected by BT; the answer clock starts at connection.
    #[serde(rename = "999")]
    Emergency999,
    /// 101 non-emergency call.
    #[serde(rename = "101")]
    NonEmergency101,
    /// A form submitted on the force website (Single Online Home).
    #[serde(rename = "online_report")]
    OnlineReport,
    /// Live text chat with a handler.
    #[serde(rename = "webchat")]
    Webchat,
    /// Direct message to a force social media account.
    #[serde(rename = "social_media")]
    SocialMedia,
    /// Email to the contact centre.
    #[serde(rename = "email")]
    Email,
    /// Live video from a caller's phone.
    #[serde(rename = "video")]
    Video,
    /// emergencySMS, Relay UK, BSL video relay.
    #[serde(rename = "text_relay")]
    TextRelay,
}

impl Channel {
    /// Every channel, in default priority order (highest first).
    pub const ALL: [Channel; 8] = [
        Channel::Emergency999,
        Channel::TextRelay,
        Channel::Video,
        Channel::NonEmergency101,
        Channel::Webchat,
        Channel::SocialMedia,
        Channel::OnlineReport,
        Channel::Email,
    ];

    /// The stable wire name, as used in JSON, URLs and the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Emergency999 => "999",
            Channel::NonEmergency101 => "101",
            Channel::OnlineReport => "online_report",
            Channel::Webchat => "webchat",
            Channel::SocialMedia => "social_media",
            Channel::Email => "email",
            Channel::Video => "video",
            Channel::TextRelay => "text_relay",
        }
    }

    /// A label for people (screens and reports).
    pub fn label(self) -> &'static str {
        match self {
            Channel::Emergency999 => "999",
            Channel::NonEmergency101 => "101",
            Channel::OnlineReport => "Online report",
            Channel::Webchat => "Webchat",
            Channel::SocialMedia => "Social media",
            Channel::Email => "Email",
            Channel::Video => "Video",
            Channel::TextRelay => "Text relay",
        }
    }

    /// Default queue priority: lower is served first. 999 (and its text and video equivalents)
    /// before 101 before the written digital channels. Forces may configure their own.
    pub fn default_priority(self) -> u8 {
        match self {
            Channel::Emergency999 | Channel::TextRelay | Channel::Video => 0,
            Channel::NonEmergency101 => 1,
            Channel::Webchat => 2,
            Channel::SocialMedia | Channel::OnlineReport | Channel::Email => 3,
        }
    }

    /// Whether the contact is a live voice call with an answer-time clock.
    pub fn is_voice(self) -> bool {
        matches!(self, Channel::Emergency999 | Channel::NonEmergency101)
    }
}

impl fmt::Display for Channel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Channel {
    type Err = crate::DomainError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Channel::ALL.into_iter().find(|c| c.as_str() == s).ok_or_else(|| {
            crate::DomainError::invalid(
                "channel",
                format!(
                    "unknown channel {s:?}; expected one of {}",
                    Channel::ALL.map(|c| c.as_str()).join(", ")
                ),
            )
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip() {
        for c in Channel::ALL {
            assert_eq!(c.as_str().parse::<Channel>(), Ok(c));
            let json = serde_json::to_string(&c).expect("serialise");
            assert_eq!(json, format!("\"{}\"", c.as_str()));
        }
    }

    #[test]
    fn unknown_channel_is_named_in_error() {
        let err = "fax".parse::<Channel>().expect_err("fax is not a channel");
        assert!(err.to_string().contains("\"fax\""));
    }

    #[test]
    fn emergency_before_non_emergency_before_digital() {
        assert!(Channel::Emergency999.default_priority() < Channel::NonEmergency101.default_priority());
        assert!(Channel::NonEmergency101.default_priority() < Channel::Email.default_priority());
    }
}
