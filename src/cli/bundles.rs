//! The bundles a command line names, in order, as the walk finds them.
//!
//! The walk goes only as far as the next bundle asked for
//! ([`discover_keeping`]), on the thread that hands the bundles out (the
//! batch's consumer, between reports), so each bundle is read through the
//! handles the walk listed it by instead of reaching its folders again,
//! whichever thread then judges it. With several jobs the bundles queued
//! for the workers keep their handles too (a larger budget). A walk on a
//! thread of its own, ahead of the checking, reached every bundle again by
//! path and woke a third thread for each bundle on two cores, for no gain:
//! walking one bundle is a small part of judging it. Where a progress bar
//! is drawn, the walk runs first (on its own thread with several jobs), so
//! the bar knows the count.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;

use dossier::lang::Lang;
use dossier::limits::Limits;
use dossier::source::{
    self, BundleSource, Discovering, KEPT_HANDLES, discover_each, discover_keeping,
};

use super::EXIT_ERROR;
use super::notice::{Notice, say};

/// The bundles found so far and the walk still finding more.
pub(super) struct Bundles {
    found: Supply,
    /// How many the walk has found so far.
    count: FoundSoFar,
    /// Taken from `found` to look at, not yet handed out.
    peeked: VecDeque<BundleSource>,
}

/// Where the bundles come from: a walk that ran (or runs) by itself, or
/// one that walks only as far as asked.
enum Supply {
    Sent(Receiver<BundleSource>, Walker),
    Lazy(Lazy),
}

/// How many bundles the walk has found so far (it may still be going).
#[derive(Clone, Default)]
pub(super) struct FoundSoFar(Arc<AtomicUsize>);

impl FoundSoFar {
    pub(super) fn so_far(&self) -> usize {
        self.0.load(Ordering::Relaxed)
    }
}

/// The walk's thread, or its result when it ran on the caller's.
enum Walker {
    Ahead(JoinHandle<Vec<String>>),
    Done(Vec<String>),
}

/// A command-line argument: `-` is read before the walk starts.
enum Named {
    Path(PathBuf),
    Read(BundleSource),
}

impl Bundles {
    /// Starts finding every bundle `paths` name: `-` is one archive read
    /// from standard input, now (a failure to read it ends the run); a path
    /// is what [`discover_each`] finds below it, and what the walk passes
    /// over is said on stderr as it is met. `ahead`: several jobs judge the
    /// bundles (the walk keeps handles for more of them; with a progress
    /// bar, it walks on a thread of its own).
    pub(super) fn find(paths: &[PathBuf], lang: Lang, ahead: bool) -> Result<Bundles, i32> {
        let mut named = Vec::with_capacity(paths.len());
        for path in paths {
            named.push(match path.as_os_str() == "-" {
                true => Named::Read(read_stdin(lang)?),
                false => Named::Path(path.clone()),
            });
        }
        let count = FoundSoFar::default();
        // A progress bar's length is the number found so far: where one is
        // drawn (check.rs draws it on an interactive stderr outside CI), the
        // walk runs first, as it did, so the length is right.
        let lazy = |named: Vec<Named>, handles| Lazy {
            named: named.into_iter(),
            walking: None,
            names: Vec::new(),
            count: count.clone(),
            lang,
            handles,
        };
        let found = if progress_drawn() {
            let (send, found) = channel();
            let walk = Walk {
                named,
                send,
                count: count.clone(),
                lang,
            };
            let walker = match ahead {
                true => walk_ahead(walk),
                false => Walker::Done(walk.run()),
            };
            Supply::Sent(found, walker)
        } else {
            // Several jobs keep more bundles in hand (their queue) before
            // reading them: room for their handles too.
            let handles = match ahead {
                true => SEVERAL_JOBS_HANDLES,
                false => KEPT_HANDLES,
            };
            Supply::Lazy(lazy(named, handles))
        };
        Ok(Bundles {
            found,
            count,
            peeked: VecDeque::new(),
        })
    }

    fn take(&mut self) -> Option<BundleSource> {
        match &mut self.found {
            Supply::Sent(found, _) => found.recv().ok(),
            Supply::Lazy(lazy) => lazy.next(),
        }
    }

    /// The `index`th bundle (from 0) of those not yet handed out, waiting
    /// for the walk to find it; `None` when there are fewer.
    pub(super) fn peek(&mut self, index: usize) -> Option<&BundleSource> {
        while self.peeked.len() <= index {
            let bundle = self.take()?;
            self.peeked.push_back(bundle);
        }
        self.peeked.get(index)
    }

    /// A counter of the bundles found so far, for a progress bar.
    pub(super) fn found(&self) -> FoundSoFar {
        self.count.clone()
    }

    /// Waits for the walk to end; the name of every bundle it found, in
    /// order (the waivers that named none are said at the end of a run).
    pub(super) fn finish(self) -> Vec<String> {
        match self.found {
            Supply::Sent(found, walker) => {
                drop(found);
                match walker {
                    Walker::Done(names) => names,
                    Walker::Ahead(thread) => thread
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
                }
            }
            // The walk goes on to its end: what it passes over is still
            // said, and every bundle's name is known.
            Supply::Lazy(mut lazy) => {
                while lazy.next().is_some() {}
                lazy.names
            }
        }
    }
}

impl Iterator for Bundles {
    type Item = BundleSource;

    fn next(&mut self) -> Option<BundleSource> {
        self.peeked.pop_front().or_else(|| self.take())
    }
}

/// The walk on the caller's thread, one bundle at a time.
struct Lazy {
    named: std::vec::IntoIter<Named>,
    walking: Option<Discovering>,
    names: Vec<String>,
    count: FoundSoFar,
    lang: Lang,
    /// The most folder handles the walk keeps for bundles not yet read.
    handles: usize,
}

impl Lazy {
    /// The next bundle, saying what the walk passes over on the way.
    fn next(&mut self) -> Option<BundleSource> {
        loop {
            let bundle = match &mut self.walking {
                Some(walking) => match walking.next() {
                    Some(source::Found::Bundle(bundle)) => bundle,
                    Some(source::Found::Skipped(skipped)) => {
                        say(
                            self.lang,
                            Notice::Skipped {
                                path: &skipped.path,
                                reason: &skipped.reason,
                            },
                        );
                        continue;
                    }
                    Some(_) => continue,
                    None => {
                        self.walking = None;
                        continue;
                    }
                },
                None => match self.named.next()? {
                    Named::Read(bundle) => bundle,
                    Named::Path(path) => {
                        self.walking = Some(discover_keeping(&path, self.handles));
                        continue;
                    }
                },
            };
            self.names.push(bundle.name().to_string());
            self.count.0.fetch_add(1, Ordering::Relaxed);
            return Some(bundle);
        }
    }
}

/// The walk, and where what it finds goes.
struct Walk {
    named: Vec<Named>,
    send: Sender<BundleSource>,
    count: FoundSoFar,
    lang: Lang,
}

impl Walk {
    /// Hands every bundle in order to the receiver, says what is passed
    /// over, and gives back the bundles' names.
    fn run(self) -> Vec<String> {
        let Walk {
            named,
            send,
            count,
            lang,
        } = self;
        let mut names = Vec::new();
        let mut hand_on = |bundle: BundleSource| {
            names.push(bundle.name().to_string());
            count.0.fetch_add(1, Ordering::Relaxed);
            // The receiver is gone only when the run ends early.
            let _ = send.send(bundle);
        };
        for named in named {
            match named {
                Named::Read(bundle) => hand_on(bundle),
                Named::Path(path) => discover_each(&path, &mut |found| match found {
                    source::Found::Bundle(bundle) => hand_on(bundle),
                    source::Found::Skipped(skipped) => say(
                        lang,
                        Notice::Skipped {
                            path: &skipped.path,
                            reason: &skipped.reason,
                        },
                    ),
                    _ => {}
                }),
            }
        }
        names
    }
}

/// Most folder handles the walk keeps, with several jobs, for bundles found
/// and not yet read. Those bundles are the ones the batch holds in hand: at
/// most `jobs` looked at before it starts and `jobs × 8` in its pipeline
/// (`checker::BUFFER_PER_JOB`), two handles each, so every bundle keeps its
/// handles up to 14 jobs; past that, the bundles beyond the budget are
/// reached again when read, as without a kept handle. The walk itself
/// keeps no more than a quarter of the descriptor limit, so the few files
/// each worker has open always find room.
const SEVERAL_JOBS_HANDLES: usize = 256;

/// Whether the run draws a progress bar (the same test as check.rs's).
fn progress_drawn() -> bool {
    use std::io::IsTerminal;
    std::io::stderr().is_terminal() && std::env::var_os("CI").is_none()
}

/// Starts the walk on a thread of its own; where no thread starts, walks
/// here first, as with one job.
fn walk_ahead(walk: Walk) -> Walker {
    let work = Arc::new(Mutex::new(Some(walk)));
    let given = Arc::clone(&work);
    let started = std::thread::Builder::new()
        .name("dossier-walk".into())
        .spawn(move || take(&given).map(Walk::run).unwrap_or_default());
    match started {
        Ok(thread) => Walker::Ahead(thread),
        Err(_) => Walker::Done(take(&work).map(Walk::run).unwrap_or_default()),
    }
}

fn take(work: &Mutex<Option<Walk>>) -> Option<Walk> {
    work.lock().ok().and_then(|mut walk| walk.take())
}

/// One archive from standard input, at most `archive_bytes` long.
fn read_stdin(lang: Lang) -> Result<BundleSource, i32> {
    use std::io::Read;
    let limit = Limits::default().archive_bytes;
    let mut bytes = Vec::new();
    if let Err(error) = std::io::stdin()
        .lock()
        .take(limit + 1)
        .read_to_end(&mut bytes)
    {
        say(lang, Notice::CannotReadStdin(&error));
        return Err(EXIT_ERROR);
    }
    // Over the limit: the source itself says so in the bundle's report.
    Ok(BundleSource::archive_bytes("stdin", bytes))
}
