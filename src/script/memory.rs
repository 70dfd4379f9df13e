//! What a script allocates, counted by the global allocator. rhai's own
//! size limits count strings, array items and map entries, not map keys: a
//! ten-line script filling a map with 4 MiB keys reached 3 GB and the
//! process aborted. Counting every allocation of the evaluating thread bounds
//! whatever a script builds, however it builds it; the sandbox compares the
//! count with `Limits::script_memory_bytes` at every operation.
//!
//! With its default feature `counting-allocator`, the library installs this
//! allocator (around mimalloc) itself, so every program that judges bundles
//! has the bound enforced. A program that needs its own global allocator
//! turns the feature off and installs [`Counting`] around it. Where no
//! counting allocator is installed at all, scripts are not run: a bound
//! that cannot be enforced fails closed ([`is_counting`]).

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;
use std::sync::OnceLock;

thread_local! {
    /// Bytes allocated minus bytes freed by this thread, since it started.
    static BALANCE: Cell<i64> = const { Cell::new(0) };
}

fn add(bytes: i64) {
    // `try_with`: a thread being torn down may still free memory.
    let _ = BALANCE.try_with(|balance| balance.set(balance.get().wrapping_add(bytes)));
}

/// The calling thread's allocation balance: the difference between two
/// readings is what was allocated, and not freed, in between.
pub fn balance() -> i64 {
    BALANCE.try_with(Cell::get).unwrap_or(0)
}

/// Whether the global allocator counts (a [`Counting`] is installed):
/// found once, by watching the balance across an allocation.
pub fn is_counting() -> bool {
    static COUNTING: OnceLock<bool> = OnceLock::new();
    *COUNTING.get_or_init(|| {
        let before = balance();
        let probe = std::hint::black_box(vec![0u8; 4096]);
        let counted = balance() - before >= 4096;
        drop(probe);
        counted
    })
}

/// A global allocator that keeps each thread's allocation balance, around
/// the allocator `A` that does the work. Install it only where the default
/// feature `counting-allocator` is off (it installs one already):
///
/// ```ignore
/// #[global_allocator]
/// static ALLOCATOR: dossier::CountingAllocator<std::alloc::System> =
///     dossier::CountingAllocator(std::alloc::System);
/// ```
pub struct Counting<A>(pub A);

fn size(layout: Layout) -> i64 {
    i64::try_from(layout.size()).unwrap_or(i64::MAX)
}

// SAFETY: every call is passed on to `A` unchanged; only a thread-local
// counter, which allocates nothing, is updated besides.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's guarantees for `layout` hold for `A` too.
        let pointer = unsafe { self.0.alloc(layout) };
        if !pointer.is_null() {
            add(size(layout));
        }
        pointer
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as for `alloc`.
        let pointer = unsafe { self.0.alloc_zeroed(layout) };
        if !pointer.is_null() {
            add(size(layout));
        }
        pointer
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` was allocated by `A` with `layout` (caller's guarantee).
        unsafe { self.0.dealloc(pointer, layout) };
        add(-size(layout));
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as for `dealloc`, and `new_size` is valid (caller's guarantee).
        let moved = unsafe { self.0.realloc(pointer, layout, new_size) };
        if !moved.is_null() {
            add(i64::try_from(new_size).unwrap_or(i64::MAX) - size(layout));
        }
        moved
    }
}

#[cfg(test)]
mod tests {
    #[test]
    #[cfg(feature = "counting-allocator")]
    fn the_library_installs_a_counting_allocator() {
        assert!(super::is_counting());
    }

    /// Without the feature (CI runs this with `--no-default-features`) and
    /// no allocator of the program's own, a script's memory cannot be
    /// bounded: the script is not run, and its rule cannot pass.
    #[test]
    #[cfg(not(feature = "counting-allocator"))]
    fn without_a_counting_allocator_no_script_runs() {
        use crate::limits::Limits;
        assert!(!super::is_counting());
        let limits = Limits::default();
        let engine = crate::script::sandbox::new_engine(&limits, None);
        let ast = engine.compile("true").unwrap();
        let scope = rhai::Scope::new();
        let outcome = crate::script::sandbox::run_bool(&engine, &ast, &scope, &limits);
        let error = outcome.expect_err("an unbounded script must not decide");
        assert!(error.to_string().contains("counting allocator"), "{error}");
    }

    #[test]
    #[cfg(feature = "counting-allocator")]
    fn the_balance_follows_this_threads_allocations() {
        use super::balance;
        let before = balance();
        let block = vec![0u8; 1 << 20];
        assert!(balance() - before >= 1 << 20);
        drop(block);
        assert!(balance() - before < 1 << 10);
    }
}
