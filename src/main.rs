//! The `dossier` command line.

mod cli;
mod serve;

use std::io::Write;

use cli::notice::Notice;

// The global allocator (mimalloc, counted for the script memory bound) is
// installed by the library: see `dossier::script::memory`.

fn main() {
    std::panic::set_hook(Box::new(on_panic));
    let code = cli::run();
    end_now(code)
}

/// Ends the process with `code` once standard output is flushed, without
/// the C library's exit handlers: they only free memory the kernel takes
/// back anyway (mimalloc's `mi_process_done` collected its whole heap,
/// about 2 % of a one-bundle run). Every report and file is written and
/// flushed before `cli::run` returns; standard error is unbuffered.
fn end_now(code: i32) -> ! {
    let _ = std::io::stdout().flush();
    // SAFETY: `_exit` ends the process; nothing runs after it.
    unsafe { libc::_exit(code) }
}

/// Turns transparent huge pages off for this process. mimalloc advises them
/// for its whole arena, so the kernel zeroes 2 MiB at the first touch of
/// each: checking one bundle touches a few MiB in all, and that zeroing was
/// about a quarter of its CPU time (`perf`: `clear_page_erms`). A batch keeps
/// its rate without them (docs/performance.md, analysis). Best effort: a
/// kernel that refuses changes nothing else.
///
/// It must run before the first allocation: mimalloc sets up its arena in
/// its own load-time constructor and the standard library allocates before
/// `main`, so a call at the top of `main` came after the first 2 MiB page
/// was zeroed (`perf`: `do_huge_pmd_anonymous_page` under the runtime's
/// start, 8 % of a one-bundle run). A constructor with a priority runs
/// before every constructor without one, mimalloc's included.
#[cfg(target_os = "linux")]
extern "C" fn small_pages_only() {
    // SAFETY: PR_SET_THP_DISABLE takes integer arguments only and touches
    // nothing but this process's page policy.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(target_os = "linux")]
#[used]
#[unsafe(link_section = ".init_array.00101")]
static SMALL_PAGES_FIRST: extern "C" fn() = small_pages_only;

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
        end_now(cli::EXIT_ERROR);
    }
    let place = info.location().map(|l| (l.file(), l.line()));
    let _ = writeln!(stderr, "{}", Notice::InternalError { place }.text(lang));
}
