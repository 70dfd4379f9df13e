//! The `dossier` command line.

mod cli;
mod serve;

/// mimalloc: judging a bundle makes many small short-lived allocations
/// (YAML nodes, rhai values, findings); it measured faster than the system
/// allocator on batches (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    // A panic's own message could quote bundle data (ID or phone numbers);
    // the report says what failed, so stderr gets no details.
    std::panic::set_hook(Box::new(|info| {
        let place = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        eprintln!(
            "dossier: internal error{place}; the bundle being checked is reported as not judged"
        );
    }));
    std::process::exit(cli::run());
}
