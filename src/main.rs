//! The `dossier` command line.

mod cli;
mod serve;

use std::io::Write;

use cli::notice::Notice;

// The global allocator (mimalloc, counted for the script memory bound) is
// installed by the library: see `dossier::script::memory`.

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
    let lang = cli::argument_language();
    let mut stderr = std::io::stderr().lock();
    if let Some(stream) = payload.strip_prefix("failed printing to ") {
        let _ = writeln!(stderr, "{}", Notice::StreamFailed(stream).text(lang));
        std::process::exit(cli::EXIT_ERROR);
    }
    let place = info.location().map(|l| (l.file(), l.line()));
    let _ = writeln!(stderr, "{}", Notice::InternalError { place }.text(lang));
}
