//! What a script allocates, counted by the global allocator. rhai's own
//! size limits count strings, array items and map entries, not map keys: a
//! ten-line script filling a map with 4 MiB keys reached 3 GB and the
//! process aborted. Counting every allocation of the evaluating thread bounds
//! whatever a script builds, however it builds it; the sandbox compares the
//! count with `Limits::script_memory_bytes` at every operation.
//!
//! The library installs this allocator (around mimalloc) itself, so every
//! program that judges bundles — the command line, the tests, a service —
//! has the bound enforced; a program that links dossier cannot install
//! another global allocator.

use std::alloc::{GlobalAlloc, Layout};
use std::cell::Cell;

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

/// A global allocator that keeps each thread's balance, around `A`.
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
    use super::balance;

    #[test]
    fn the_balance_follows_this_threads_allocations() {
        let before = balance();
        let block = vec![0u8; 1 << 20];
        assert!(balance() - before >= 1 << 20);
        drop(block);
        assert!(balance() - before < 1 << 10);
    }
}
