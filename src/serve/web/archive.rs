//! The zip a clerk downloads: the manifest and the files the form built,
//! compressed, in memory.

use std::collections::BTreeMap;
use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

/// `files` (path → bytes) as a zip archive. Paths are the built bundle's,
/// already safe on every system.
pub fn zip(files: &BTreeMap<String, Vec<u8>>) -> zip::result::ZipResult<Vec<u8>> {
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for (path, bytes) in files {
        writer.start_file(path.as_str(), options)?;
        writer.write_all(bytes)?;
    }
    Ok(writer.finish()?.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;
    use dossier::limits::Limits;
    use dossier::source::BundleSource;

    #[test]
    fn the_zip_reads_back_as_the_same_files() {
        let mut files = BTreeMap::new();
        files.insert(
            "bundle.yaml".to_string(),
            b"format: dossier.bundle/v1\n".to_vec(),
        );
        files.insert("files/a_b.pdf".to_string(), b"%PDF-1.7".to_vec());
        let bytes = zip(&files).unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(bytes.clone())).unwrap();
        assert_eq!(archive.len(), 2);
        assert_eq!(archive.by_name("files/a_b.pdf").unwrap().size(), 8);
        let bundle = BundleSource::archive_bytes("t.zip", bytes).load(&Limits::default());
        assert!(
            bundle.manifest.is_ok(),
            "the archive reader finds the manifest"
        );
    }
}
