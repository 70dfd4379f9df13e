//! The floor: what any tool must do to judge these bundles — find and read
//! each manifest, parse it with serde_yaml, and stat and sniff every
//! attached file — and nothing more. `benches/run.sh` times dossier against
//! it on the same bundles.
//!
//! Run: `cargo bench --bench floor -- <bundle or folder of bundles>...`

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Instant;

fn bundles(path: &Path, out: &mut Vec<PathBuf>) {
    if path.join("bundle.yaml").exists() || path.join("bundle.json").exists() {
        out.push(path.to_path_buf());
        return;
    }
    let Ok(entries) = std::fs::read_dir(path) else {
        return;
    };
    let mut dirs: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for dir in dirs {
        bundles(&dir, out);
    }
}

/// Reads, parses and sniffs one bundle; returns how many files it looked at.
fn floor(bundle: &Path) -> usize {
    let manifest = ["bundle.yaml", "bundle.json"]
        .iter()
        .map(|n| bundle.join(n))
        .find(|p| p.exists());
    let Some(manifest) = manifest else { return 0 };
    let Ok(text) = std::fs::read_to_string(&manifest) else {
        return 0;
    };
    let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&text) else {
        return 0;
    };
    let mut seen = 0;
    if let Some(documents) = value.get("documents").and_then(|d| d.as_sequence()) {
        for document in documents {
            let Some(file) = document.get("file").and_then(|f| f.as_str()) else {
                continue;
            };
            let path = bundle.join(file);
            let Ok(metadata) = std::fs::metadata(&path) else {
                continue;
            };
            if !metadata.is_file() {
                continue;
            }
            let mut head = [0u8; 16];
            if let Ok(mut handle) = File::open(&path) {
                let _ = handle.read(&mut head);
                seen += 1;
            }
        }
    }
    seen
}

fn main() {
    let roots: Vec<PathBuf> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .map(PathBuf::from)
        .collect();
    let mut all = Vec::new();
    for root in &roots {
        bundles(root, &mut all);
    }
    let started = Instant::now();
    let files: usize = all.iter().map(|b| floor(b)).sum();
    let took = started.elapsed().as_secs_f64();
    eprintln!(
        "floor: {} bundles, {files} files in {took:.3} s ({:.0} bundles/s)",
        all.len(),
        all.len() as f64 / took.max(1e-9)
    );
}
