//! Build settings of the `dossier` binary that Cargo's profiles cannot say.
//!
//! On Linux with the GNU toolchain the binary is linked position-dependent
//! (`-no-pie`). A position-independent executable is relocated by the
//! dynamic loader at every start: 35,028 relocations, and a copy-on-write
//! page fault for each page of `.data.rel.ro` they write (about 140 of the
//! 420 faults of a one-bundle check, 2 ms of a 10.8 ms run). Linked at a
//! fixed address the linker resolves them all, and those pages stay shared
//! with the file. The code is compiled exactly as before (position-
//! independent code links into either); only the binary's final link and
//! its load address change, so address-space layout randomisation still
//! covers the stack, heap, mmap regions and libraries, not the binary's
//! own text. The library, tests and benches are linked as before.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
