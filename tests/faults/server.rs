//! The loopback server of the fault test: each path answers as its [`Reply`] says (well, or
//! by hanging, trickling, cutting the body short, streaming without end).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// How one path answers.
#[derive(Clone)]
pub(crate) enum Reply {
    /// 200 with the body, in one write.
    Ok {
        content_type: String,
        body: Arc<Vec<u8>>,
    },
    /// A status with headers and an empty body.
    Status {
        code: u16,
        headers: Vec<(&'static str, String)>,
    },
    /// Accepts the connection, reads the request, never answers.
    Hang,
    /// Announces the body's length, then sends it one byte every `every`.
    Trickle { body: Arc<Vec<u8>>, every: Duration },
    /// Announces more than it sends, sends half, closes.
    CutOff { body: Arc<Vec<u8>> },
    /// No `Content-Length`: the body runs until the connection closes.
    Unbounded { body: Arc<Vec<u8>> },
}

pub(crate) type Routes = Arc<HashMap<String, Reply>>;

pub(crate) fn head(code: u16, reason: &str, headers: &[(&str, String)]) -> Vec<u8> {
    let mut h = format!("HTTP/1.1 {code} {reason}\r\nconnection: close\r\n");
    for (k, v) in headers {
        write!(h, "{k}: {v}\r\n").unwrap();
    }
    h.push_str("\r\n");
    h.into_bytes()
}

pub(crate) async fn answer(mut stream: TcpStream, routes: Routes) {
    stream.set_nodelay(true).unwrap();
    // The request head (a GET has no body).
    let mut request = Vec::new();
    let mut buf = [0u8; 4096];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 64 * 1024 {
        match tokio::time::timeout(Duration::from_secs(30), stream.read(&mut buf)).await {
            Ok(Ok(n)) if n > 0 => request.extend_from_slice(&buf[..n]),
            _ => return,
        }
    }
    let line = String::from_utf8_lossy(&request);
    let target = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let reply = routes.get(&target).cloned().unwrap_or(Reply::Status {
        code: 404,
        headers: vec![],
    });
    match reply {
        Reply::Ok { content_type, body } => {
            let mut out = head(
                200,
                "OK",
                &[
                    ("content-type", content_type),
                    ("content-length", body.len().to_string()),
                ],
            );
            out.extend_from_slice(&body);
            let _ = stream.write_all(&out).await;
        }
        Reply::Status { code, mut headers } => {
            headers.push(("content-length", "0".into()));
            let _ = stream.write_all(&head(code, "Status", &headers)).await;
        }
        Reply::Hang => {
            // Until the client gives up (or a minute and a half: never within the bound).
            let _ = tokio::time::timeout(Duration::from_secs(90), stream.read(&mut buf)).await;
        }
        Reply::Trickle { body, every } => {
            let out = head(
                200,
                "OK",
                &[
                    ("content-type", "text/html; charset=utf-8".into()),
                    ("content-length", body.len().to_string()),
                ],
            );
            if stream.write_all(&out).await.is_err() {
                return;
            }
            for b in body.iter() {
                tokio::time::sleep(every).await;
                if stream.write_all(&[*b]).await.is_err() {
                    return;
                }
            }
        }
        Reply::CutOff { body } => {
            let mut out = head(
                200,
                "OK",
                &[
                    ("content-type", "text/html; charset=utf-8".into()),
                    ("content-length", (body.len() * 2).to_string()),
                ],
            );
            out.extend_from_slice(&body[..body.len() / 2]);
            let _ = stream.write_all(&out).await;
            let _ = stream.shutdown().await;
        }
        Reply::Unbounded { body } => {
            let out = head(200, "OK", &[("content-type", "text/html".into())]);
            if stream.write_all(&out).await.is_ok() {
                let _ = stream.write_all(&body).await;
            }
            let _ = stream.shutdown().await;
        }
    }
}
