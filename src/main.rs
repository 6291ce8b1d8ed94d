//! The `twir-events` binary: parses arguments, runs, maps the outcome to an exit code.

fn main() -> std::process::ExitCode {
    twir_events::cli::main()
}
