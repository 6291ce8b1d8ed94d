use super::*;

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

#[test]
fn from_thursday_on_the_window_of_json_and_publish_starts_today() {
    // Thursday 2023-02-02: the newsletter's window starts next Wednesday, json's and
    // publish's today, and both end on the next issue's last day.
    let thursday = d("2023-02-02");
    let issue = window(thursday, None, None, 4, WindowStart::NextIssue).unwrap();
    assert_eq!((issue.from, issue.to), (d("2023-02-08"), d("2023-03-08")));
    let feeds = window(thursday, None, None, 4, WindowStart::Today).unwrap();
    assert_eq!((feeds.from, feeds.to), (thursday, d("2023-03-08")));
    // An event in progress: a conference from Wednesday to Friday is in it, Wednesday's
    // meetup is not.
    assert!(feeds.overlaps(d("2023-02-01"), d("2023-02-03")));
    assert!(!feeds.overlaps(d("2023-02-01"), d("2023-02-01")));
    // On a Wednesday both are the issue's.
    let wednesday = d("2023-02-01");
    assert_eq!(
        window(wednesday, None, None, 4, WindowStart::Today).unwrap(),
        window(wednesday, None, None, 4, WindowStart::NextIssue).unwrap()
    );
    // Every day of the week, the window from today ends no earlier than the day before's.
    let mut last = feeds.to;
    for n in 1..=7 {
        let w = window(
            thursday + Duration::days(n),
            None,
            None,
            4,
            WindowStart::Today,
        )
        .unwrap();
        assert_eq!(w.from, thursday + Duration::days(n));
        assert!(w.to >= last, "{w:?}");
        last = w.to;
    }
    // Explicit --from and --to win.
    let w = window(thursday, Some(d("2023-02-10")), None, 1, WindowStart::Today).unwrap();
    assert_eq!((w.from, w.to), (d("2023-02-10"), d("2023-02-17")));
    let w = window(thursday, None, Some(d("2023-02-05")), 4, WindowStart::Today).unwrap();
    assert_eq!((w.from, w.to), (thursday, d("2023-02-05")));
}

#[test]
fn window_defaults_match_the_seeds() {
    // Issue 480 was written on Wednesday 2023-02-01: "between 2023-02-01 - 2023-03-01".
    let w = window(d("2023-02-01"), None, None, 4, WindowStart::NextIssue).unwrap();
    assert_eq!((w.from, w.to), (d("2023-02-01"), d("2023-03-01")));
    // From a Saturday, the next Wednesday.
    let w = window(d("2023-01-28"), None, None, 4, WindowStart::NextIssue).unwrap();
    assert_eq!(w.from, d("2023-02-01"));
    let w = window(d("2023-02-02"), None, None, 2, WindowStart::NextIssue).unwrap();
    assert_eq!((w.from, w.to), (d("2023-02-08"), d("2023-02-22")));
    assert!(
        window(
            d("2023-02-02"),
            Some(d("2023-03-01")),
            Some(d("2023-02-01")),
            4,
            WindowStart::Today
        )
        .is_err()
    );
}

/// Each option of every command, as the command line gives it: its long flag and a value.
fn common_options() -> Vec<(String, Option<&'static str>)> {
    let common = Common::augment_args(clap::Command::new("common"));
    common
        .get_arguments()
        .map(|arg| {
            let flag = format!("--{}", arg.get_long().expect("every option is long"));
            let value = arg.get_action().takes_values().then_some("5");
            (flag, value)
        })
        .collect()
}

#[test]
fn given_names_each_option_of_every_command_given() {
    let options = common_options();
    assert_eq!(options.len(), 9);
    for (flag, value) in &options {
        let mut args = vec!["twir-events", flag.as_str()];
        args.extend(value);
        args.push("render");
        let cli = Cli::try_parse_from(&args).unwrap();
        assert_eq!(cli.common.given(), [flag.as_str()], "{args:?}");
    }
    let cli = Cli::try_parse_from(["twir-events", "render"]).unwrap();
    assert!(cli.common.given().is_empty());
}

#[test]
fn the_live_only_options_are_those_of_live_fetching() {
    let common = Common::augment_args(clap::Command::new("common"));
    let live: Vec<String> = common
        .get_arguments()
        .filter(|arg| {
            arg.get_help()
                .is_some_and(|help| help.to_string().starts_with("Live fetching:"))
        })
        .map(|arg| format!("--{}", arg.get_long().unwrap()))
        .collect();
    assert_eq!(live, LIVE_ONLY);
    // Refused with --replay only.
    let live_run = Cli::try_parse_from(["twir-events", "render", "--timeout", "5"]).unwrap();
    let Command::Render { run, .. } = &live_run.command else {
        unreachable!()
    };
    assert!(live_run.common.refuse_live_with_replay(run).is_ok());
    let replay = RunArgs {
        replay: Some("snap".into()),
        ..run.clone()
    };
    assert!(live_run.common.refuse_live_with_replay(&replay).is_err());
    assert_eq!(and_list(&["a", "b", "c"]), "a, b and c");
}

#[test]
fn every_number_option_refuses_a_negative_number_as_a_number() {
    let mut command = <Cli as clap::CommandFactory>::command();
    command.build();
    let mut checked = 0;
    for sub in command.get_subcommands() {
        for arg in sub.get_arguments() {
            let numeric = arg.get_value_names().is_some_and(|names| {
                names
                    .iter()
                    .any(|n| ["N", "MB", "SECS"].contains(&n.as_str()))
            });
            // A number option allows `-1` as its value, and only a number option does.
            assert_eq!(
                numeric,
                arg.is_allow_negative_numbers_set(),
                "{} --{:?}",
                sub.get_name(),
                arg.get_long()
            );
            if !numeric {
                continue;
            }
            let flag = format!("--{}", arg.get_long().unwrap());
            let args = ["twir-events", sub.get_name(), flag.as_str(), "-1"];
            let err = Cli::try_parse_from(args).unwrap_err();
            assert_eq!(
                err.kind(),
                clap::error::ErrorKind::ValueValidation,
                "{args:?}"
            );
            assert!(
                err.to_string().contains(&format!("{flag} takes ")),
                "{args:?}: {err}"
            );
            checked += 1;
        }
    }
    // weeks (7 commands), horizon-weeks, recent, silent-weeks, and the four of live fetching
    // on each of the 10 commands (hidden on completions and man, which refuse them).
    assert_eq!(checked, 7 + 3 + 4 * 10);
}
