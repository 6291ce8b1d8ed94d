//! The page in a real browser: headless Chromium loads `index.html` from a `publish` run
//! (DOM, no request, no console message, screenshots). Part of `tests/publish.rs`.

use super::*;

/// Debian's `chromium` (or `$CHROMIUM`), or why the browser tests cannot run.
fn chromium() -> Result<PathBuf, String> {
    if let Some(p) = std::env::var_os("CHROMIUM") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(format!("CHROMIUM={} is not a file", p.display()))
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in ["chromium", "chromium-browser"] {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    Err("chromium is not installed (Debian: apt-get install chromium; .ci/run does it)".into())
}

/// What one headless load of a page gave.
struct Loaded {
    dom: String,
    /// Console messages (`INFO:CONSOLE…` lines: console calls, uncaught errors, CSP
    /// violations).
    console: Vec<String>,
    /// Requests the page made (not the browser's own: those have no origin as initiator).
    requests: Vec<String>,
}

/// Runs headless Chromium with `args` on `page`, killed after a minute.
fn chromium_run(browser: &Path, work: &Path, page: &Path, args: &[&str]) -> (Vec<u8>, String) {
    let profile = tempfile::tempdir_in(work).unwrap();
    let mut child = std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(format!("file://{}", page.display()))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let (mut stdout, mut stderr) = (child.stdout.take().unwrap(), child.stderr.take().unwrap());
    let out = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut b).ok();
        b
    });
    let err = std::thread::spawn(move || {
        let mut b = Vec::new();
        std::io::Read::read_to_end(&mut stderr, &mut b).ok();
        b
    });
    loop {
        if child.try_wait().unwrap().is_some() {
            break;
        }
        if std::time::Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            panic!("chromium did not finish within a minute");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = out.join().unwrap();
    let err = String::from_utf8_lossy(&err.join().unwrap()).into_owned();
    (out, err)
}

/// Loads `page`, dumps its DOM after scripts ran, and collects console messages and the
/// page's requests (from a `NetLog`).
fn load(browser: &Path, work: &Path, page: &Path) -> Loaded {
    let netlog = work.join(format!(
        "net-{}.json",
        page.file_stem().unwrap().to_string_lossy()
    ));
    let (out, err) = chromium_run(
        browser,
        work,
        page,
        &[
            "--enable-logging=stderr",
            "--v=0",
            &format!("--log-net-log={}", netlog.display()),
            "--dump-dom",
        ],
    );
    let console = err
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_string)
        .collect();
    let text = read(&netlog);
    let log: serde_json::Value = serde_json::from_str(&text)
        .or_else(|_| serde_json::from_str(&format!("{}]}}", text.trim_end().trim_end_matches(','))))
        .expect("a NetLog");
    let start_job = log["constants"]["logEventTypes"]["URL_REQUEST_START_JOB"].clone();
    let requests = log["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == start_job && e["params"]["url"].is_string())
        .filter(|e| e["params"]["initiator"] != "not an origin")
        .map(|e| e["params"]["url"].as_str().unwrap_or_default().to_string())
        .collect();
    Loaded {
        dom: String::from_utf8_lossy(&out).into_owned(),
        console,
        requests,
    }
}

#[test]
fn the_page_in_headless_chromium() {
    let browser = match chromium() {
        Ok(b) => b,
        Err(why) => {
            eprintln!("SKIPPED the_page_in_headless_chromium: {why}");
            return;
        }
    };
    let (tmp, site) = publish();
    let md = markdown();
    let entries = parse_section(&md);
    let json: serde_json::Value = serde_json::from_str(&read(&site.join("events.json"))).unwrap();

    the_checks_can_fail(&browser, tmp.path());

    let page = site.join("index.html");
    let loaded = load(&browser, tmp.path(), &page);
    assert!(
        loaded.console.is_empty(),
        "console messages: {:#?}",
        loaded.console
    );
    assert!(
        loaded.requests.is_empty(),
        "requests left the page: {:#?}",
        loaded.requests
    );
    let doc = scraper::Html::parse_document(&loaded.dom);

    the_sections_are_the_markdown_s(&doc, &entries);

    the_lists_are_the_run_s(&doc, &json);
    // The script ran (under the page's Content-Security-Policy): the search box is shown.
    let search = select(&doc, "#search-box");
    assert_eq!(search.len(), 1);
    assert!(
        search[0].value().attr("hidden").is_none(),
        "the search script did not run"
    );

    without_javascript(&page, &doc, &entries);

    the_search_finds_what_is_not_listed(&browser, tmp.path(), &page);

    screenshots(&browser, tmp.path(), &page);
}

/// `s` for a URL's query: unreserved characters kept, the others percent-encoded.
fn query_value(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The page loaded with `?q=QUERY` (the page's script types it into the search box), its DOM
/// after the script ran.
fn searched(browser: &Path, work: &Path, page: &Path, query: &str) -> scraper::Html {
    let url = format!("{}?q={}", page.display(), query_value(query));
    let (out, _) = chromium_run(browser, work, Path::new(&url), &["--dump-dom"]);
    scraper::Html::parse_document(&String::from_utf8_lossy(&out))
}

/// What the search looks in: an entry's text and its links.
fn searched_text(el: &scraper::ElementRef) -> String {
    let mut t: String = el.text().collect();
    for a in el.select(&scraper::Selector::parse("a[href]").unwrap()) {
        t.push(' ');
        t.push_str(a.value().attr("href").unwrap());
    }
    t.to_lowercase()
}

/// The search box searches "Not listed, and why" too (where an organizer looks first), in
/// text and links, and opens the collapsed lists that hold a match: the cancelled Munich
/// meetup by its meetup id, and an entry of the 55 merged ones (collapsed) by its title.
fn the_search_finds_what_is_not_listed(browser: &Path, work: &Path, page: &Path) {
    let no_js = scraper::Html::parse_document(&read(page));
    let merged = select(&no_js, "details#merged");
    assert_eq!(merged.len(), 1);
    assert!(
        merged[0].value().attr("open").is_none(),
        "a long list is collapsed"
    );
    // The left-out entry's link is a link.
    let munich = "https://www.meetup.com/rust-munich/events/291120384/";
    assert_eq!(
        select(&no_js, &format!("#left-out li a[href=\"{munich}\"]")).len(),
        1,
        "the left-out event's link"
    );
    let first_merged = select(&no_js, "#merged li[data-reason] a")[0];
    let merged_link = first_merged.value().attr("href").unwrap().to_lowercase();
    let title: String = first_merged.text().collect();
    let title = title.trim_matches(['“', '”']).to_string();
    for (query, target) in [
        ("291120384", munich),
        (title.as_str(), merged_link.as_str()),
    ] {
        let doc = searched(browser, work, page, query);
        let words: Vec<String> = query.split_whitespace().map(str::to_lowercase).collect();
        let (mut listed, mut away, mut found) = (0, 0, false);
        for li in select(&doc, "li.event, #not-listed li[data-reason]") {
            let text = searched_text(&li);
            let hit = words.iter().all(|w| text.contains(w.as_str()));
            assert_eq!(
                li.value().attr("hidden").is_none(),
                hit,
                "{query:?}: {text}"
            );
            if hit {
                if li.value().classes().any(|c| c == "event") {
                    listed += 1;
                } else {
                    away += 1;
                    found |= text.contains(target);
                }
            }
        }
        assert!(away > 0 && found, "{query:?}: nothing found below");
        // The lists holding a match are open, the others hidden.
        for d in select(&doc, "#not-listed details.reasons") {
            let hit = !select(
                &doc,
                &format!("#{} li[data-reason]:not([hidden])", d.value().id().unwrap()),
            )
            .is_empty();
            assert_eq!(d.value().attr("open").is_some(), hit, "{query:?}");
            assert_eq!(d.value().attr("hidden").is_none(), hit, "{query:?}");
        }
        let count: String = select(&doc, "#search-count")[0].text().collect();
        assert_eq!(count, format!("{listed} listed, {away} not listed"));
    }
}

/// The checks can fail: a page that loads an image and logs to the console is caught.
fn the_checks_can_fail(browser: &Path, work: &Path) {
    let control = work.join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><html><body><img src=\"http://127.0.0.1:9/x.png\"><script>console.error('boom')</script></body></html>",
    )
    .unwrap();
    let c = load(browser, work, &control);
    assert!(
        c.console.iter().any(|l| l.contains("boom")),
        "{:?}",
        c.console
    );
    assert!(
        c.requests.iter().any(|u| u.contains("127.0.0.1:9")),
        "{:?}",
        c.requests
    );
}

/// The sections of the Markdown, in its order, with as many entries; each entry's title link
/// is the Markdown's.
fn the_sections_are_the_markdown_s(
    doc: &scraper::Html,
    entries: &[twir_events::newsletter::read::CorpusEntry],
) {
    let md_regions: Vec<Region> = {
        let mut r: Vec<Region> = entries.iter().filter_map(|e| e.region).collect();
        r.dedup();
        r
    };
    let sections = select(doc, "main section.region");
    let ids: Vec<&str> = sections.iter().map(|s| s.value().id().unwrap()).collect();
    let expected: Vec<String> = md_regions
        .iter()
        .map(|r| twir_events::render::ics::section_slug(*r))
        .collect();
    assert_eq!(ids, expected);
    for (s, r) in sections.iter().zip(&md_regions) {
        let h2: String = s
            .select(&scraper::Selector::parse("h2").unwrap())
            .next()
            .unwrap()
            .text()
            .collect();
        assert!(h2.starts_with(r.title()), "{h2}");
        let n = s
            .select(&scraper::Selector::parse("li.event").unwrap())
            .count();
        assert_eq!(
            n,
            entries.iter().filter(|e| e.region == Some(*r)).count(),
            "{r:?}"
        );
    }
    assert_eq!(select(doc, "li.event").len(), entries.len());
    // Each entry's title link is the Markdown's.
    let md_links: BTreeSet<String> = entries
        .iter()
        .map(|e| canonical(&e.title.as_ref().unwrap().url))
        .collect();
    let page_links: BTreeSet<String> = select(doc, "li.event .title > a:first-child")
        .iter()
        .map(|a| canonical(a.value().attr("href").unwrap()))
        .collect();
    assert_eq!(md_links, page_links);
    // Where each entry's facts came from.
    assert_eq!(select(doc, "li.event details").len(), entries.len());
}

/// The "not listed" reasons the run has, each list as long as the run's; the sources' health.
fn the_lists_are_the_run_s(doc: &scraper::Html, json: &serde_json::Value) {
    let not_listed = select(doc, "#not-listed");
    assert_eq!(not_listed.len(), 1);
    let reasons = |id: &str| select(doc, &format!("#{id} li[data-reason]")).len();
    let count = |key: &str| json[key].as_array().unwrap().len();
    // An event left out from two sources (its group and the calendar) is one item naming both.
    let left_out: std::collections::BTreeSet<(String, String)> = json["left_out"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["url"].to_string(), l["date"].to_string()))
        .collect();
    assert_eq!(reasons("left-out"), left_out.len().min(300));
    assert_eq!(
        reasons("possible-duplicate"),
        count("possible_duplicates").min(300)
    );
    assert_eq!(reasons("unverified"), count("unverified").min(300));
    assert_eq!(reasons("corrections"), count("corrections").min(300));
    assert!(count("left_out") > 0, "the seed run leaves entries out");
    assert!(
        reasons("outside-window") > 0,
        "later events are listed with when they enter"
    );
    let later: String = select(doc, "#outside-window li")
        .first()
        .unwrap()
        .text()
        .collect();
    assert!(
        later.contains("enters the listing of the issue of"),
        "{later}"
    );
    assert!(
        !select(doc, "#not-listed p.todo").is_empty(),
        "what the organizer can do"
    );
    // The sources' health, one row each; when it was generated.
    assert_eq!(select(doc, "#sources tbody tr").len(), count("sources"));
    assert!(!select(doc, "header time[datetime]").is_empty());
}

/// Without JavaScript (the file as written, before any script): every entry and list is
/// there, the search box stays hidden. (Chromium's --dump-dom needs scripts enabled.)
fn without_javascript(
    page: &Path,
    doc: &scraper::Html,
    entries: &[twir_events::newsletter::read::CorpusEntry],
) {
    let no_js = scraper::Html::parse_document(&read(page));
    assert_eq!(select(&no_js, "li.event").len(), entries.len());
    assert_eq!(
        select(&no_js, "#not-listed li[data-reason]").len(),
        select(doc, "#not-listed li[data-reason]").len()
    );
    assert!(
        select(&no_js, "#search-box")[0]
            .value()
            .attr("hidden")
            .is_some()
    );
}

/// Screenshots at phone and desktop widths, kept for a look.
fn screenshots(browser: &Path, work: &Path, page: &Path) {
    let shots = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("publish-screenshots");
    std::fs::create_dir_all(&shots).unwrap();
    for (name, size) in [("phone", "390,844"), ("desktop", "1280,900")] {
        let png = shots.join(format!("{name}.png"));
        let _ = std::fs::remove_file(&png);
        chromium_run(
            browser,
            work,
            page,
            &[
                &format!("--screenshot={}", png.display()),
                &format!("--window-size={size}"),
            ],
        );
        let bytes = std::fs::read(&png).unwrap_or_else(|e| panic!("{}: {e}", png.display()));
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"), "{name}: not a PNG");
        let width = u32::from_be_bytes(bytes[16..20].try_into().unwrap());
        assert_eq!(width.to_string(), size.split(',').next().unwrap(), "{name}");
        assert!(
            bytes.len() > 10_000,
            "{name}: {} bytes, an empty page?",
            bytes.len()
        );
        eprintln!("screenshot: {}", png.display());
    }
}
