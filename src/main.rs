//! The `dossier` command line.

mod cli;
mod serve;

use std::io::Write;

/// mimalloc: judging a bundle makes many small short-lived allocations
/// (YAML nodes, rhai values, findings); it measured faster than the system
/// allocator on batches (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::panic::set_hook(Box::new(on_panic));
    std::process::exit(cli::run());
}

/// What a panic prints. It never panics itself: standard error may be
/// closed or full too, so every write here ignores its error.
///
/// `print!` and `eprint!` panic when their stream fails (a closed pipe
/// under `| head -1`, a full disk): that is an output error, not a bug, and
/// ends the command with exit status 2 and a one-line reason. Any other
/// panic's own message could quote bundle data (ID or phone numbers); the
/// report says what failed, so stderr gets no details.
fn on_panic(info: &std::panic::PanicHookInfo) {
    let payload = info
        .payload()
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| info.payload().downcast_ref::<&str>().copied())
        .unwrap_or("");
    let mut stderr = std::io::stderr().lock();
    if let Some(stream) = payload.strip_prefix("failed printing to ") {
        let _ = writeln!(stderr, "error: cannot write to {stream}");
        std::process::exit(cli::EXIT_ERROR);
    }
    let place = info
        .location()
        .map(|l| format!(" at {}:{}", l.file(), l.line()))
        .unwrap_or_default();
    let _ = writeln!(
        stderr,
        "dossier: internal error{place}; the bundle being checked is reported as not judged"
    );
}
