//! The live-demand pages over HTTP: the handler bar (CSRF, legal moves, take next), the dashboard,
//! report and plan pages and who may see them.

use super::{TestUi, hidden};
use fc_domain::HandlerState;

#[tokio::test]
async fn the_handler_bar_moves_the_handler_and_needs_csrf() {
    let ui = TestUi::start().await;
    let c = ui.client();
    ui.sign_in(&c, "handler").await;
    let (status, body) = ui.get(&c, "/").await;
    assert_eq!(status, 200);
    assert!(body.contains("id=\"handler-bar\"") && body.contains("Signed out"), "the bar shows the state");
    let csrf = hidden(&body, "_csrf");
    let (status, _, _) = ui.post(&c, "/handler/state", &[("state", "signed_in")]).await;
    assert_eq!(status, 403, "no CSRF token");
    assert_eq!(ui.store.handler("handler").await.expect("h").state, HandlerState::SignedOut);
    let (status, loc, _) = ui.post(&c, "/handler/state", &[("_csrf", &csrf), ("state", "signed_in")]).await;
    assert_eq!((status, loc.as_str()), (303, "/"));
    let (status, _, body) = ui.post(&c, "/handler/state", &[("_csrf", &csrf), ("state", "on_contact")]).await;
    assert_eq!(status, 422, "{body}");
    let (status, _, _) = ui.post(&c, "/handler/state", &[("_csrf", &csrf), ("state", "ready")]).await;
    assert_eq!(status, 303);
    let (status, loc, _) = ui.post(&c, "/handler/next", &[("_csrf", &csrf)]).await;
    assert_eq!((status, loc.as_str()), (303, "/?none_waiting=1"), "nothing waiting (no skills either)");
    let (_, body) = ui.get(&c, "/?none_waiting=1").await;
    assert!(body.contains("Nothing is waiting that you can take."));
    assert_eq!(ui.store.handler("handler").await.expect("h").state, HandlerState::Ready);
}

#[tokio::test]
async fn supervisors_see_the_dashboard_report_and_plan_others_do_not() {
    let ui = TestUi::start().await;
    let c = ui.client();
    ui.sign_in(&c, "super").await;
    let (status, body) = ui.get(&c, "/dashboard").await;
    assert_eq!(status, 200);
    assert!(body.contains("id=\"dashboard\"") && body.contains("data-events=\"/ui/events\""));
    assert!(body.matches("<svg").count() >= 2, "inline charts");
    let (status, fragment) = ui.get(&c, "/ui/dashboard").await;
    assert_eq!(status, 200);
    assert!(fragment.starts_with("<div id=\"dashboard-body\""), "a fragment, not a page");
    let (status, body) = ui.get(&c, "/reports?from=2026-01&to=2026-02").await;
    assert_eq!(status, 200);
    assert!(body.contains("2026-02") && body.contains("<svg") && body.contains("format=csv"));
    let (status, body) = ui.get(&c, "/reports?from=2026-13&to=2026-02").await;
    assert_eq!(status, 200, "a bad month is explained on the page");
    assert!(body.contains("There is a problem"));
    let (status, body) = ui.get(&c, "/plan").await;
    assert_eq!(status, 200);
    assert!(body.contains("Staffing plan") && body.contains("<svg"));

    let h = ui.client();
    ui.sign_in(&h, "handler").await;
    for page in ["/dashboard", "/reports", "/plan"] {
        assert_eq!(ui.get(&h, page).await.0, 403, "{page}");
    }
    let (_, body) = ui.get(&h, "/").await;
    assert!(!body.contains("href=\"/dashboard\""), "no link to what they cannot open");
}
