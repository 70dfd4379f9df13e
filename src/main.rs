//! The `dossier` command line.

mod cli;

// The global allocator (mimalloc, counted for the script memory bound) is
// installed by the library: see `dossier::script::memory`.

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
