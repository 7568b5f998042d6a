//! The OAuth loopback listener over real TCP on 127.0.0.1 and ::1.

use std::time::Duration;

use switchboard_core::ErrorKind;
use switchboard_core::secret::Secret;
use switchboard_core::xero::loopback::Loopback;

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn browser_get(url: String) -> (u16, String) {
    let response = reqwest::get(url).await.unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

fn never() -> std::future::Pending<()> {
    std::future::pending()
}

#[tokio::test]
async fn takes_the_first_free_registered_port() {
    let busy = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let busy_port = busy.local_addr().unwrap().port();
    let free = free_port();
    let loopback = Loopback::bind(&[busy_port, free]).await.unwrap();
    assert_eq!(loopback.port(), free);
    assert_eq!(loopback.redirect_uri(), format!("http://localhost:{free}/callback"));
}

#[tokio::test]
async fn a_port_taken_on_ipv6_loopback_is_not_free_and_callbacks_come_over_either() {
    // A computer without an IPv6 loopback has nothing to steal the port on.
    let Ok(held_on_v6) = std::net::TcpListener::bind("[::1]:0") else { return };
    let held_port = held_on_v6.local_addr().unwrap().port();
    let free = free_port();
    let loopback = Loopback::bind(&[held_port, free]).await.unwrap();
    assert_eq!(loopback.port(), free);
    assert_eq!(loopback.redirect_uri(), format!("http://localhost:{free}/callback"));

    let waiting =
        tokio::spawn(async move { loopback.wait_for_code(&Secret::new("s"), Duration::from_secs(10), never()).await });
    let (status, _) = browser_get(format!("http://[::1]:{free}/callback?code=over-v6&state=s")).await;
    assert_eq!(status, 200);
    assert_eq!(waiting.await.unwrap().unwrap().expose(), "over-v6");
    assert!(tokio::net::TcpStream::connect(("::1", free)).await.is_err(), "the ::1 listener must close too");
}

#[tokio::test]
async fn says_which_ports_are_taken_when_none_is_free() {
    let a = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let b = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let ports = [a.local_addr().unwrap().port(), b.local_addr().unwrap().port()];
    let error = Loopback::bind(&ports).await.err().unwrap();
    assert_eq!(error.kind(), ErrorKind::NoFreePort);
    let message = error.to_string();
    assert!(message.contains(&ports[0].to_string()) && message.contains(&ports[1].to_string()), "{message}");
    assert_eq!(Loopback::bind(&[]).await.err().unwrap().kind(), ErrorKind::InvalidInput);
}

#[tokio::test]
async fn accepts_the_callback_with_the_right_state_ignoring_other_requests_then_closes() {
    let loopback = Loopback::bind(&[free_port()]).await.unwrap();
    let port = loopback.port();
    let state = Secret::new("state-123");
    let waiting = tokio::spawn(async move { loopback.wait_for_code(&state, Duration::from_secs(10), never()).await });

    let (status, _) = browser_get(format!("http://127.0.0.1:{port}/favicon.ico")).await;
    assert_eq!(status, 404);
    let (status, page) = browser_get(format!("http://127.0.0.1:{port}/callback?code=the-code&state=state-123")).await;
    assert_eq!(status, 200);
    assert!(page.contains("You are signed in"));

    let code = waiting.await.unwrap().unwrap();
    assert_eq!(code.expose(), "the-code");
    assert!(
        tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_err(),
        "the listener must close after its one callback"
    );
}

#[tokio::test]
async fn a_callback_with_another_state_is_refused_and_the_wait_goes_on() {
    let loopback = Loopback::bind(&[free_port()]).await.unwrap();
    let port = loopback.port();
    let waiting = tokio::spawn(async move {
        loopback.wait_for_code(&Secret::new("expected"), Duration::from_secs(10), never()).await
    });
    let (status, page) = browser_get(format!("http://127.0.0.1:{port}/callback?code=stolen&state=forged")).await;
    assert_eq!(status, 400);
    assert!(page.contains("was ignored") && !page.contains("stolen"), "{page}");
    let (status, _) = browser_get(format!("http://127.0.0.1:{port}/callback?code=the-code&state=expected")).await;
    assert_eq!(status, 200);
    assert_eq!(waiting.await.unwrap().unwrap().expose(), "the-code");
}

#[tokio::test]
async fn a_denied_consent_is_a_clear_error() {
    let loopback = Loopback::bind(&[free_port()]).await.unwrap();
    let port = loopback.port();
    let waiting =
        tokio::spawn(async move { loopback.wait_for_code(&Secret::new("s"), Duration::from_secs(10), never()).await });
    let (status, page) = browser_get(format!(
        "http://127.0.0.1:{port}/callback?error=access_denied&error_description=User%20cancelled&state=s"
    ))
    .await;
    assert_eq!(status, 400);
    assert!(page.contains("Access was not granted"));
    let error = waiting.await.unwrap().unwrap_err();
    assert_eq!(error.kind(), ErrorKind::ConsentDenied);
    assert!(error.to_string().contains("access_denied (User cancelled)"), "{error}");
}

#[tokio::test]
async fn times_out_and_can_be_cancelled() {
    let loopback = Loopback::bind(&[free_port()]).await.unwrap();
    let error = loopback.wait_for_code(&Secret::new("s"), Duration::from_millis(50), never()).await.unwrap_err();
    assert_eq!(error.kind(), ErrorKind::SignInTimedOut);

    let loopback = Loopback::bind(&[free_port()]).await.unwrap();
    let (cancel, cancelled) = tokio::sync::oneshot::channel::<()>();
    let waiting = tokio::spawn(async move {
        loopback
            .wait_for_code(&Secret::new("s"), Duration::from_secs(30), async {
                let _ = cancelled.await;
            })
            .await
    });
    cancel.send(()).unwrap();
    assert_eq!(waiting.await.unwrap().unwrap_err().kind(), ErrorKind::SignInCancelled);
}

#[tokio::test]
async fn a_garbage_request_does_not_end_the_wait() {
    use tokio::io::AsyncWriteExt;
    let loopback = Loopback::bind(&[free_port()]).await.unwrap();
    let port = loopback.port();
    let waiting =
        tokio::spawn(async move { loopback.wait_for_code(&Secret::new("s"), Duration::from_secs(10), never()).await });
    let mut junk = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    junk.write_all(b"POST /callback HTTP/1.1\r\n\r\n").await.unwrap();
    drop(junk);
    let (status, _) = browser_get(format!("http://127.0.0.1:{port}/callback?code=c&state=s")).await;
    assert_eq!(status, 200);
    assert_eq!(waiting.await.unwrap().unwrap().expose(), "c");
}

#[tokio::test]
async fn an_idle_connection_does_not_hold_up_the_callback_and_is_closed_at_the_end() {
    use tokio::io::AsyncReadExt;
    let loopback = Loopback::bind(&[free_port()]).await.unwrap();
    let port = loopback.port();
    let waiting =
        tokio::spawn(async move { loopback.wait_for_code(&Secret::new("s"), Duration::from_secs(30), never()).await });
    // Opened first and never sent on, like a browser's speculative connection.
    let mut idle = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let (status, _) = browser_get(format!("http://127.0.0.1:{port}/callback?code=c&state=s")).await;
    assert_eq!(status, 200);
    assert_eq!(waiting.await.unwrap().unwrap().expose(), "c");

    // The sign-in is over while the idle socket is still open; its task is aborted, so the
    // socket is closed without an answer (a read timeout would have sent a 400 page).
    let mut rest = Vec::new();
    let _ = idle.read_to_end(&mut rest).await;
    assert!(rest.is_empty(), "{}", String::from_utf8_lossy(&rest));
}
