//! The world of the cache tests: a server that honours conditional requests as real servers
//! do (an `ETag` or a `Last-Modified` per resource, a log of what it served), and the source
//! sets run against it.

use super::*;

#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Validator {
    ETag,
    LastModified,
}

#[derive(Clone)]
pub(crate) struct Resource {
    pub(crate) content_type: String,
    pub(crate) body: Arc<Vec<u8>>,
    /// Bumped when the resource changes: part of its `ETag` and `Last-Modified`.
    pub(crate) version: u32,
}

impl Resource {
    pub(crate) fn etag(&self) -> String {
        format!("\"v{}-{}\"", self.version, self.body.len())
    }

    pub(crate) fn last_modified(&self) -> String {
        format!("Wed, 01 Feb 2023 10:{:02}:00 GMT", self.version % 60)
    }
}

/// One answer, as the server saw it.
#[derive(Clone, Debug)]
pub(crate) struct Served {
    pub(crate) path: String,
    pub(crate) status: u16,
    pub(crate) body_bytes: usize,
    /// The request's `If-None-Match` / `If-Modified-Since`.
    pub(crate) conditional: bool,
}

#[derive(Default)]
pub(crate) struct Site {
    pub(crate) resources: Mutex<HashMap<String, Resource>>,
    pub(crate) log: Mutex<Vec<Served>>,
}

pub(crate) struct Responder {
    pub(crate) site: Arc<Site>,
    pub(crate) validator: Validator,
    pub(crate) proxy: bool,
}

/// A resource's key: the path and query, with the origin when the server is a proxy (whose
/// requests name the host: `GET http://www.meetup.com/… HTTP/1.1`).
pub(crate) fn key(url: &url::Url, proxy: bool) -> String {
    let path = match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_owned(),
    };
    if proxy {
        format!("{}{path}", url.origin().ascii_serialization())
    } else {
        path
    }
}

impl Respond for Responder {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        let path = key(&request.url, self.proxy);
        let header = |name: &str| {
            request
                .headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let (if_none_match, if_modified_since) =
            (header("if-none-match"), header("if-modified-since"));
        let resource = self.site.resources.lock().unwrap().get(&path).cloned();
        let (status, template, bytes) = match resource {
            None => (404, ResponseTemplate::new(404), 0),
            Some(r) => {
                // RFC 9110 §13.2.2: If-None-Match, when present, decides; else
                // If-Modified-Since. Only the validator this server hands out can match.
                let unchanged = match self.validator {
                    Validator::ETag => if_none_match
                        .as_deref()
                        .is_some_and(|v| v.split(',').any(|t| t.trim() == r.etag())),
                    Validator::LastModified => {
                        if_none_match.is_none()
                            && if_modified_since.as_deref() == Some(&r.last_modified())
                    }
                };
                let (name, value) = match self.validator {
                    Validator::ETag => ("etag", r.etag()),
                    Validator::LastModified => ("last-modified", r.last_modified()),
                };
                if unchanged {
                    (
                        304,
                        ResponseTemplate::new(304).insert_header(name, value),
                        0,
                    )
                } else {
                    (
                        200,
                        ResponseTemplate::new(200)
                            .insert_header(name, value)
                            .insert_header("content-type", r.content_type.as_str())
                            .set_body_bytes(r.body.as_slice()),
                        r.body.len(),
                    )
                }
            }
        };
        self.site.log.lock().unwrap().push(Served {
            path,
            status,
            body_bytes: bytes,
            conditional: if_none_match.is_some() || if_modified_since.is_some(),
        });
        template
    }
}

/// Loopback servers standing in for real hosts, and a sources file pointing at them.
pub(crate) struct World {
    pub(crate) servers: Vec<MockServer>,
    pub(crate) sites: Vec<Arc<Site>>,
    pub(crate) dir: tempfile::TempDir,
    pub(crate) sources: PathBuf,
    /// The plain-HTTP proxy every `http://` request goes through, if any.
    pub(crate) proxy: Option<String>,
    /// `--from` and `--to`.
    pub(crate) window: [&'static str; 2],
}

impl World {
    pub(crate) fn log(&self) -> Vec<Served> {
        self.sites
            .iter()
            .flat_map(|s| s.log.lock().unwrap().clone())
            .collect()
    }

    pub(crate) fn clear_log(&self) {
        for s in &self.sites {
            s.log.lock().unwrap().clear();
        }
    }

    /// Changes the resource at `path` (on whichever host has it): a new body and validator.
    pub(crate) fn change(&self, path: &str, body: &[u8]) {
        let mut found = false;
        for s in &self.sites {
            if let Some(r) = s.resources.lock().unwrap().get_mut(path) {
                r.body = Arc::new(body.to_vec());
                r.version += 1;
                found = true;
            }
        }
        assert!(found, "no resource at {path}");
    }
}

/// A world of one iCal source named "Calendar" at `url`, served by `sites` (if any).
pub(crate) fn calendar_world(url: &str, sites: Vec<Arc<Site>>) -> World {
    let dir = tempfile::tempdir().unwrap();
    let world = World {
        sources: dir.path().join("sources.toml"),
        proxy: None,
        servers: vec![],
        sites,
        dir,
        window: ["2026-08-19", "2026-09-16"],
    };
    std::fs::write(
        &world.sources,
        format!("[[source]]\nkind = \"ical\"\nurl = \"{url}\"\nname = \"Calendar\"\n"),
    )
    .unwrap();
    world
}

pub(crate) async fn start(validator: Validator, proxy: bool) -> (MockServer, Arc<Site>) {
    let server = MockServer::start().await;
    let site = Arc::new(Site::default());
    Mock::given(method("GET"))
        .respond_with(Responder {
            site: site.clone(),
            validator,
            proxy,
        })
        .mount(&server)
        .await;
    (server, site)
}

/// The seed snapshot's 86 answers behind one loopback server acting as the plain-HTTP proxy
/// of their hosts: `https://www.meetup.com/…` becomes `http://www.meetup.com/…` everywhere (in
/// bodies and sources.toml), so host names, and with them meetup event pages, the calendar's
/// verification and the per-host limits, stay as in a real run.
pub(crate) async fn seed_world(validator: Validator) -> World {
    let snap = root().join(SNAPSHOT);
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(snap.join("manifest.json")).unwrap())
            .unwrap();
    let responses = manifest["responses"].as_array().unwrap();
    let mut origins: Vec<String> = responses
        .iter()
        .map(|r| {
            url::Url::parse(r["url"].as_str().unwrap())
                .unwrap()
                .origin()
                .ascii_serialization()
        })
        .collect();
    origins.sort();
    origins.dedup();
    let (server, site) = start(validator, true).await;
    let rewrite = |bytes: &[u8]| -> Vec<u8> {
        let mut out = bytes.to_vec();
        for from in &origins {
            let to = from.replacen("https://", "http://", 1);
            out = replace(&out, from, &to);
            let enc = |s: &str| s.replace(':', "%3A").replace('/', "%2F");
            out = replace(&out, &enc(from), &enc(&to));
        }
        out
    };
    for r in responses {
        let Some(file) = r["file"].as_str() else {
            continue;
        };
        let url = r["url"].as_str().unwrap();
        let mut body = std::fs::read(snap.join(file)).unwrap();
        if is_ics(url) {
            body = unfold(&body);
        }
        let local = url::Url::parse(&String::from_utf8(rewrite(url.as_bytes())).unwrap()).unwrap();
        site.resources.lock().unwrap().insert(
            key(&local, true),
            Resource {
                content_type: r["content_type"].as_str().unwrap_or("text/html").to_owned(),
                body: Arc::new(rewrite(&body)),
                version: 1,
            },
        );
    }
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(snap.join("sources.toml")).unwrap();
    let sources = dir.path().join("sources.toml");
    std::fs::write(&sources, rewrite(text.as_bytes())).unwrap();
    World {
        proxy: Some(server.uri()),
        servers: vec![server],
        sites: vec![site],
        dir,
        sources,
        window: ["2023-02-01", "2023-03-01"],
    }
}

/// Three sources (a calendar, a meetup group page, a JSON-LD page) on one server.
pub(crate) async fn small_world(validator: Validator) -> World {
    let (server, site) = start(validator, false).await;
    let ics = minimal_calendar_file();
    for (path, file, ct) in [
        ("/calendar/basic.ics", ics, "text/calendar; charset=UTF-8"),
        (
            "/rust-and-c-plus-plus-in-cardiff/events/",
            root().join("tests/fixtures/pages/meetup-group-cardiff.html"),
            "text/html; charset=utf-8",
        ),
        (
            "/rustconf/",
            root().join("tests/fixtures/pages/conference-rustconf.html"),
            "text/html; charset=utf-8",
        ),
    ] {
        site.resources.lock().unwrap().insert(
            path.to_owned(),
            Resource {
                content_type: ct.to_owned(),
                body: Arc::new(std::fs::read(file).unwrap()),
                version: 1,
            },
        );
    }
    let base = server.uri();
    let minimal = std::fs::read_to_string(root().join("snapshots/minimal/sources.toml")).unwrap();
    let organizers = &minimal[minimal.find("[[organizer]]").unwrap()..];
    let dir = tempfile::tempdir().unwrap();
    let sources = dir.path().join("sources.toml");
    std::fs::write(
        &sources,
        format!(
            "[[source]]\nkind = \"ical\"\nurl = \"{base}/calendar/basic.ics\"\nname = \"Calendar\"\n\n\
             [[source]]\nkind = \"meetup\"\nurl = \"{base}/rust-and-c-plus-plus-in-cardiff/\"\n\n\
             [[source]]\nkind = \"jsonld\"\nurl = \"{base}/rustconf/\"\nname = \"RustConf\"\n\n\
             {organizers}"
        ),
    )
    .unwrap();
    World {
        proxy: None,
        servers: vec![server],
        sites: vec![site],
        dir,
        sources,
        window: ["2026-08-19", "2026-09-16"],
    }
}
