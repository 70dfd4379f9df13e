//! Embeds the shipped rule set: each rule file's text, and for each YAML
//! file its tree as `yaml::parse` makes it, packed (`src/yaml/packed.rs`),
//! so that a start decodes the rules it needs instead of scanning YAML.
//!
//! The tree comes from the crate's own converter (`src/yaml/tree.rs`,
//! included below), not a second one. A file whose YAML does not parse here
//! gets no tree and is parsed at run time, where its error is explained as
//! for any rule file. Writes `embedded_rules.rs` to `OUT_DIR`, which
//! `src/rules/source.rs` includes, and `embedded_digest.txt`, the set's
//! digest as `rules::versions::digest` computes it (a test holds the two
//! equal), so that a start does not hash the whole set.

use std::fmt::Write as _;

use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};
use std::{env, fs};

#[allow(dead_code)]
#[path = "src/yaml/node.rs"]
mod node;
#[allow(dead_code)]
#[path = "src/yaml/packed.rs"]
mod packed;
#[allow(dead_code)]
#[path = "src/yaml/tree.rs"]
mod tree;

/// The folders of the shipped set that judging needs, besides
/// `catalog.yaml`. `rules/tests/` (rule tests and their report snapshots,
/// run from a checkout by `dossier rules test`) stays out of the binary.
const FOLDERS: [&str; 3] = ["calendar", "lib", "operations"];

fn main() {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo"));
    let rules = manifest.join("rules");
    for watched in [
        "build.rs",
        "src/yaml/node.rs",
        "src/yaml/tree.rs",
        "src/yaml/packed.rs",
    ] {
        println!("cargo:rerun-if-changed={watched}");
    }
    println!("cargo:rerun-if-changed=rules/catalog.yaml");
    let mut files = vec![("catalog.yaml".to_string(), rules.join("catalog.yaml"))];
    for folder in FOLDERS {
        println!("cargo:rerun-if-changed=rules/{folder}");
        collect(&rules.join(folder), folder, &mut files);
    }
    files.sort();

    let trees = out.join("rule-trees");
    fs::create_dir_all(&trees).expect("OUT_DIR is writable");
    let mut table = String::from("[\n");
    let mut digest = Sha256::new();
    for (index, (name, path)) in files.iter().enumerate() {
        // A file that is not UTF-8 is no rule file; it was always left out.
        let Ok(text) = fs::read_to_string(path) else {
            continue;
        };
        // Each file's path and length, then its text, in path order.
        digest.update(name.as_bytes());
        digest.update([0]);
        digest.update(text.len().to_string().as_bytes());
        digest.update([0]);
        digest.update(text.as_bytes());
        let tree = if name.ends_with(".yaml") || name.ends_with(".yml") {
            let unbounded = tree::ParseLimits {
                depth: packed::MAX_DEPTH,
                nodes: usize::MAX,
                scalar_bytes: usize::MAX,
            };
            tree::read_tree(&text, unbounded).ok().map(|root| {
                let packed_path = trees.join(format!("{index}.tree"));
                fs::write(&packed_path, packed::pack(&root)).expect("OUT_DIR is writable");
                format!(
                    "Some(include_bytes!({:?}))",
                    packed_path.display().to_string()
                )
            })
        } else {
            None
        };
        let tree = tree.unwrap_or_else(|| "None".to_string());
        let text = path.display().to_string();
        writeln!(
            table,
            "    EmbeddedFile {{ path: {name:?}, text: include_str!({text:?}), tree: {tree} }},"
        )
        .expect("writing to a String");
    }
    table.push_str("]\n");
    fs::write(out.join("embedded_rules.rs"), table).expect("OUT_DIR is writable");
    let digest: String = digest
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    fs::write(out.join("embedded_digest.txt"), digest).expect("OUT_DIR is writable");
}

/// Every rule file (`.yaml`, `.yml`, `.rhai`) below `dir`, named `folder/…` with `/`.
fn collect(dir: &Path, folder: &str, files: &mut Vec<(String, PathBuf)>) {
    let entries = fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
    for entry in entries {
        let path = entry.expect("a readable folder").path();
        let name = format!(
            "{folder}/{}",
            path.file_name()
                .expect("an entry has a name")
                .to_string_lossy()
        );
        if path.is_dir() {
            collect(&path, &name, files);
        } else if [".yaml", ".yml", ".rhai"]
            .iter()
            .any(|ext| name.ends_with(ext))
        {
            files.push((name, path));
        }
    }
}
