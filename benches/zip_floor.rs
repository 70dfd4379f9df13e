//! The zip floor: what any tool must pay to judge these bundles as zips
//! beyond judging them as folders — read each archive, find its entries,
//! and inflate every entry whole (checking its CRC) — and nothing more.
//! `benches/run.sh` can report it beside the zips-vs-folders ratio: what a
//! zip costs beyond this floor is the part dossier controls.
//!
//! Each phase is timed on its own, over every archive, several times (the
//! fastest pass by CPU time is reported, with its wall time; the archives are read into memory first):
//!
//! - `read`: reading every archive file into memory;
//! - `directory`: the `zip` crate's central directory and local headers;
//! - `zlib-rs`: inflating every entry with flate2's zlib-rs back end into a
//!   buffer of its declared size, and its CRC with crc32fast (what dossier does);
//! - `zlib-rs, no CRC`: the same without the CRC;
//! - `libdeflate`: the same with libdeflate (the `libdeflater` crate);
//! - `dossier load`: dossier's own zip source on the same bytes in memory
//!   (`BundleSource::archive_bytes(..).load`: the directory judged, every
//!   entry unpacked within the bounds, the manifest parsed; one copy of the
//!   archive's bytes per bundle included). Its distance from `zlib-rs + CRC`
//!   is what dossier adds to inflating.
//!
//! Run: `cargo bench --bench zip_floor -- <zip or folder of zips>... [--passes N]`

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use dossier::source::BundleSource;
use flate2::{Decompress, FlushDecompress, Status};
use zip::{CompressionMethod, ZipArchive};

/// One entry's stored bytes and what its header declares.
struct Entry {
    archive: usize,
    data: std::ops::Range<usize>,
    deflated: bool,
    declared: usize,
    crc: u32,
}

fn archives(path: &Path, out: &mut Vec<PathBuf>) {
    if path.is_file() {
        if path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
        {
            out.push(path.to_path_buf());
        }
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    paths.sort();
    for path in paths {
        archives(&path, out);
    }
}

/// The entries of one archive, with their data ranges in it.
fn entries(index: usize, bytes: &[u8], out: &mut Vec<Entry>) {
    let mut archive = ZipArchive::new(Cursor::new(bytes)).expect("a readable zip");
    for number in 0..archive.len() {
        let file = archive.by_index_raw(number).expect("a readable entry");
        if file.is_dir() {
            continue;
        }
        let start = file.data_start().expect("data start known once opened") as usize;
        let deflated = match file.compression() {
            CompressionMethod::Deflated => true,
            CompressionMethod::Stored => false,
            other => panic!("method {other:?} is not measured"),
        };
        out.push(Entry {
            archive: index,
            data: start..start + file.compressed_size() as usize,
            deflated,
            declared: file.size() as usize,
            crc: file.crc32(),
        });
    }
}

fn zlib_rs(inflater: &mut Decompress, input: &[u8], declared: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(declared);
    inflater.reset(false);
    let status = inflater
        .decompress_vec(input, &mut out, FlushDecompress::Finish)
        .expect("a valid deflate stream");
    assert_eq!(status, Status::StreamEnd, "the whole entry in one call");
    out
}

fn libdeflate(inflater: &mut libdeflater::Decompressor, input: &[u8], declared: usize) -> Vec<u8> {
    let mut out = vec![0u8; declared];
    let size = inflater
        .deflate_decompress(input, &mut out)
        .expect("a valid deflate stream");
    out.truncate(size);
    out
}

/// This thread's CPU time so far: on a shared machine, wall time measures
/// the neighbours too.
fn cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: `now` is a valid timespec for the call to fill.
    unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}

/// The fastest of `passes` runs of `pass`, by CPU time (and its wall time).
fn fastest(passes: usize, mut pass: impl FnMut() -> u64) -> (Duration, Duration) {
    let mut best = (Duration::MAX, Duration::MAX);
    for _ in 0..passes {
        let (started, cpu) = (Instant::now(), cpu_time());
        std::hint::black_box(pass());
        best = best.min((cpu_time() - cpu, started.elapsed()));
    }
    best
}

fn main() {
    let mut passes = 3;
    let mut roots = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--passes" => passes = args.next().and_then(|n| n.parse().ok()).unwrap_or(3),
            // `cargo bench` passes `--bench`.
            other if other.starts_with("--") => {}
            other => roots.push(PathBuf::from(other)),
        }
    }
    let mut paths = Vec::new();
    for root in &roots {
        archives(root, &mut paths);
    }
    let read = fastest(passes, || {
        paths
            .iter()
            .map(|p| std::fs::read(p).expect("a readable archive").len() as u64)
            .sum()
    });
    let bytes: Vec<Vec<u8>> = paths.iter().map(|p| std::fs::read(p).unwrap()).collect();
    let directory = fastest(passes, || {
        let mut all = Vec::new();
        for (index, archive) in bytes.iter().enumerate() {
            entries(index, archive, &mut all);
        }
        all.len() as u64
    });
    let mut all = Vec::new();
    for (index, archive) in bytes.iter().enumerate() {
        entries(index, archive, &mut all);
    }
    let stored = |entry: &Entry| &bytes[entry.archive][entry.data.clone()];
    let packed: u64 = all.iter().map(|e| e.data.len() as u64).sum();
    let unpacked: u64 = all.iter().map(|e| e.declared as u64).sum();

    let mut inflater = Decompress::new(false);
    let zlib_crc = fastest(passes, || {
        let mut total = 0;
        for entry in &all {
            let data = match entry.deflated {
                true => zlib_rs(&mut inflater, stored(entry), entry.declared),
                false => stored(entry).to_vec(),
            };
            assert_eq!(crc32fast::hash(&data), entry.crc, "CRC");
            total += data.len() as u64;
        }
        total
    });
    let zlib = fastest(passes, || {
        let mut total = 0;
        for entry in all.iter().filter(|e| e.deflated) {
            total += zlib_rs(&mut inflater, stored(entry), entry.declared).len() as u64;
        }
        total
    });
    let mut inflater = libdeflater::Decompressor::new();
    let libdeflate_crc = fastest(passes, || {
        let mut total = 0;
        for entry in &all {
            let data = match entry.deflated {
                true => libdeflate(&mut inflater, stored(entry), entry.declared),
                false => stored(entry).to_vec(),
            };
            assert_eq!(crc32fast::hash(&data), entry.crc, "CRC");
            total += data.len() as u64;
        }
        total
    });
    // What dossier does with the same bytes in memory: judge the directory,
    // unpack every entry within the bounds, find and parse the manifest.
    let limits = dossier::limits::Limits::default();
    let dossier_load = fastest(passes, || {
        let mut loaded = 0;
        for archive in &bytes {
            let source = BundleSource::archive_bytes("bench.zip", archive.clone());
            loaded += u64::from(source.load(&limits).manifest.is_ok());
        }
        assert_eq!(loaded as usize, bytes.len(), "every archive loads");
        loaded
    });
    let crc = fastest(passes, || {
        let mut total = 0u64;
        for entry in all.iter().filter(|e| !e.deflated) {
            total += crc32fast::hash(stored(entry)) as u64;
        }
        total
    });

    let ms = |(cpu, wall): (Duration, Duration)| {
        format!(
            "{:8.1} ms CPU {:8.1} ms wall",
            cpu.as_secs_f64() * 1000.0,
            wall.as_secs_f64() * 1000.0
        )
    };
    let rate = |(cpu, _): (Duration, Duration)| unpacked as f64 / 1e6 / cpu.as_secs_f64().max(1e-9);
    eprintln!(
        "zip floor: {} archives, {} entries ({} deflated), {:.1} MB packed, {:.1} MB unpacked; fastest of {passes} passes",
        paths.len(),
        all.len(),
        all.iter().filter(|e| e.deflated).count(),
        packed as f64 / 1e6,
        unpacked as f64 / 1e6,
    );
    for (name, took) in [
        ("read", read),
        ("directory", directory),
        ("zlib-rs + CRC", zlib_crc),
        ("zlib-rs, no CRC", zlib),
        ("libdeflate + CRC", libdeflate_crc),
        ("CRC, stored only", crc),
        ("dossier load", dossier_load),
    ] {
        eprintln!(
            "  {name:<17} {}  ({:.0} MB/s unpacked, by CPU time)",
            ms(took),
            rate(took)
        );
    }
}
