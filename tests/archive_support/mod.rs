//! Builds archives in memory for the source tests: a bundle's files zipped
//! or tarred the way people do it (at the root, or in one top-level folder),
//! and raw entries for hostile archives. Nothing touches the disk.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Cursor, Write};
use std::path::Path;

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// Every file below `dir`, keyed by its path relative to `dir` with `/`.
pub fn files_below(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let name = path.strip_prefix(dir).unwrap().to_str().unwrap();
                files.insert(name.replace('\\', "/"), std::fs::read(&path).unwrap());
            }
        }
    }
    files
}

/// `files` with every name under `prefix` (`""` or `"folder/"`).
pub fn under(prefix: &str, files: &BTreeMap<String, Vec<u8>>) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|(name, bytes)| (format!("{prefix}{name}"), bytes.clone()))
        .collect()
}

pub fn deflated() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Deflated)
}

pub fn stored() -> SimpleFileOptions {
    SimpleFileOptions::default().compression_method(CompressionMethod::Stored)
}

/// A zip of `entries`, deflated, names as given.
pub fn zip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    zip_with(entries, deflated())
}

pub fn zip_with(entries: &[(String, Vec<u8>)], options: SimpleFileOptions) -> Vec<u8> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        writer.start_file(name.as_str(), options).unwrap();
        writer.write_all(bytes).unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// A tar of `entries` as regular files.
pub fn tar(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, bytes) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(bytes.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        builder
            .append_data(&mut header, name, bytes.as_slice())
            .unwrap();
    }
    builder.into_inner().unwrap()
}

pub fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    encoder.write_all(bytes).unwrap();
    encoder.finish().unwrap()
}

pub fn tar_gz(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    gzip(&tar(entries))
}
