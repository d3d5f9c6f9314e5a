//! The page shell every screen shares: skip link, header with who is signed in, navigation,
//! sign-out, and the keyboard shortcut help. Screens supply only their `main` content, so the
//! landmarks and focus order are the same everywhere.

use super::assets;
use fc_store::users::User;
use maud::{DOCTYPE, Markup, html};

/// Who is looking, for the header: their name and role, and the session's CSRF token for the
/// sign-out form.
pub struct Chrome<'a> {
    /// The signed-in user.
    pub user: &'a User,
    /// The session's CSRF token.
    pub csrf: &'a str,
}

/// Which navigation item the page belongs to (marked `aria-current`).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    /// The live queue.
    Queue,
    /// Logging a new contact.
    NewContact,
    /// A page outside the navigation (a contact screen).
    Other,
    /// Supervisors' review of grade overrides.
    Overrides,
    /// Supervisors' list of referrals raised by questionnaires.
    Referrals,
    /// The supervisor's live dashboard.
    Dashboard,
    /// The answer-time report.
    Reports,
    /// The staffing plan.
    Plan,
    /// Staff wellbeing (your own, or your team's for supervisors).
    Wellbeing,
}

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " – FirstContact" }
            link rel="stylesheet" href=(assets::css_url());
            script src=(assets::js_url()) defer {}
        }
    }
}

/// A full page for a signed-in user.
pub fn page(title: &str, chrome: &Chrome<'_>, nav: Nav, main: Markup) -> Markup {
    let current = |n: Nav| if n == nav { Some("page") } else { None };
    let can_write = chrome.user.role.can_write_contacts();
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            (head(title))
            body {
                a.skip-link href="#main" { "Skip to main content" }
                header.site-header {
                    a.brand href="/" { "FirstContact" }
                    nav aria-label="Main" {
                        ul {
                            li { a href="/" aria-current=[current(Nav::Queue)] { "Queue" } }
                            @if can_write {
                                li { a href="/contacts/new" aria-current=[current(Nav::NewContact)] { "New contact" } }
                            }
                            @if chrome.user.role.can_read_incidents() {
                                li { a href="/dispatch" { "Dispatch" } }
                            }
                            @if chrome.user.role.can_review_triage() {
                                li { a href="/overrides" aria-current=[current(Nav::Overrides)] { "Overrides" } }
                                li { a href="/referrals" aria-current=[current(Nav::Referrals)] { "Referrals" } }
                            }
                            @if chrome.user.role.can_supervise_handlers() {
                                li { a href="/dashboard" aria-current=[current(Nav::Dashboard)] { "Dashboard" } }
                            }
                            @if chrome.user.role.can_read_reports() {
                                li { a href="/reports" aria-current=[current(Nav::Reports)] { "Reports" } }
                                li { a href="/plan" aria-current=[current(Nav::Plan)] { "Plan" } }
                            }
                            @if chrome.user.role.can_see_own_wellbeing() {
                                li { a href="/wellbeing" aria-current=[current(Nav::Wellbeing)] { "Wellbeing" } }
                            }
                        }
                    }
                    div.who {
                        span { "Signed in as " strong { (chrome.user.display_name) } }
                        span.role { (chrome.user.role.label()) }
                        form method="post" action="/logout" {
                            input type="hidden" name="_csrf" value=(chrome.csrf);
                            button.secondary type="submit" { "Sign out" }
                        }
                    }
                }
                main #main tabindex="-1" { (main) }
                footer.site-footer {
                    h2.visually-hidden { "Keyboard shortcuts" }
                    p {
                        "Shortcuts: "
                        @if can_write { kbd { "n" } " new contact · " }
                        kbd { "/" } " filter the queue · " kbd { "g" } " " kbd { "q" } " go to the queue"
                    }
                }
            }
        }
    }
}

/// A page without the signed-in header: sign-in and error pages.
pub fn bare(title: &str, main: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang="en-GB" {
            (head(title))
            body {
                a.skip-link href="#main" { "Skip to main content" }
                header.site-header { a.brand href="/" { "FirstContact" } }
                main #main tabindex="-1" { (main) }
            }
        }
    }
}
