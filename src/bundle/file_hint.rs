//! What to tell a clerk whose attachment reference does not work: the file
//! a missing reference most likely meant, the name a file should have for
//! its content, and how to turn a format that is not accepted into one that
//! is. Only names are read here, and only inside the bundle's folder.

use std::path::{Component, Path};

use super::FileKind;
use crate::confined::{Folder, Kind};
use crate::domain::spelling::nearest;
use crate::lang::Localized;

/// How many names of a folder are looked at for a near match: a bundle's
/// `files/` holds a handful; a hostile folder of millions costs no more.
const NAMES_LOOKED_AT: usize = 1000;

/// The names of the regular files in the folder of `reference` inside
/// the bundle folder, at most [`NAMES_LOOKED_AT`]; none when that folder is not
/// inside the bundle. Only names are read, nothing is opened.
pub fn names_in_folder(bundle: &Folder, reference: &str) -> Vec<String> {
    let path = Path::new(reference);
    let inside = path
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir))
        && !reference.contains('\\');
    if !inside {
        return Vec::new();
    }
    // Listed through the bundle folder's handle: no link is followed to
    // reach the folder, so a hint never names a file outside the bundle.
    let parent = path.parent().unwrap_or(Path::new(""));
    bundle
        .list(parent)
        .map(|listed| {
            listed
                .into_iter()
                .take(NAMES_LOOKED_AT)
                .filter(|entry| entry.kind == Kind::File)
                .filter_map(|entry| entry.name.into_string().ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The file among `names` (the files in the reference's folder) that a
/// missing reference most likely meant, written as a reference
/// (`files/x.jpg` for `files/x.pdf`): the same name with another extension
/// first, else a name one or two typos away.
pub fn near_match(reference: &str, names: &[String]) -> Option<String> {
    let (parent, name) = match reference.rsplit_once('/') {
        Some((parent, name)) => (Some(parent), name),
        None => (None, reference),
    };
    let stem = |n: &str| n.rsplit_once('.').map_or(n, |(s, _)| s).to_lowercase();
    let others = names.iter().map(String::as_str).filter(|n| *n != name);
    let meant = others
        .clone()
        .find(|candidate| stem(candidate) == stem(name))
        .or_else(|| nearest(name, others))?;
    Some(match parent {
        Some(parent) => format!("{parent}/{meant}"),
        None => meant.to_string(),
    })
}

/// The reference with the extension of what its content is (`x.jpg` holding
/// a PNG becomes `x.png`).
pub fn renamed_for(reference: &str, kind: FileKind) -> String {
    let extension = match kind {
        FileKind::Pdf => "pdf",
        FileKind::Jpeg => "jpg",
        FileKind::Png => "png",
    };
    let name_start = reference.rfind('/').map_or(0, |i| i + 1);
    match reference[name_start..].rfind('.') {
        Some(dot) => format!("{}.{extension}", &reference[..name_start + dot]),
        None => format!("{reference}.{extension}"),
    }
}

/// Which formats are accepted, and how to convert the one `reference` names
/// by its extension (Word, HEIC photos, WebP pictures, …).
pub fn format_advice(reference: &str) -> Localized {
    let extension = reference
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let (zh, en) = match extension.as_str() {
        "doc" | "docx" | "wps" | "odt" | "rtf" => (
            "Word/WPS 文档不被接受:请用“另存为”或“导出为 PDF”转成 PDF",
            "Word/WPS documents are not accepted: use Save As or Export to PDF",
        ),
        "heic" | "heif" => (
            "HEIC 照片(iPhone 默认格式)不被接受:请导出为 JPEG,或在 iPhone“设置 → 相机 → 格式”中选“兼容性最佳”后重拍",
            "HEIC photos (the iPhone default) are not accepted: export the photo as JPEG, or set Settings → Camera → Formats to Most Compatible and take it again",
        ),
        "webp" | "gif" | "bmp" | "tif" | "tiff" => (
            "此图片格式不被接受:请用画图或看图软件另存为 JPEG 或 PNG",
            "this picture format is not accepted: save it as JPEG or PNG in an image viewer or editor",
        ),
        "xls" | "xlsx" | "et" | "ppt" | "pptx" | "txt" => (
            "此文件类型不被接受:请导出为 PDF",
            "this kind of file is not accepted: export it as a PDF",
        ),
        "zip" | "rar" | "7z" => (
            "压缩包不被接受:请解压后把每份材料作为单独的 PDF、JPEG 或 PNG 文件",
            "archives are not accepted: unpack them and attach each material as its own PDF, JPEG or PNG",
        ),
        _ => {
            return Localized::new(
                "只接受 PDF、JPEG、PNG 文件:请转换后再附上",
                "only PDF, JPEG, PNG files are accepted: convert the file to one of them",
            );
        }
    };
    Localized::new(
        format!("{zh}(可接受的格式:PDF、JPEG、PNG)"),
        format!("{en} (accepted formats: PDF, JPEG, PNG)"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_file_finds_its_near_match() {
        let names: Vec<String> = ["zhang_id.jpg", "licence.pdf", "contract.pdf"]
            .map(String::from)
            .to_vec();
        assert_eq!(
            near_match("files/zhang_id.pdf", &names).as_deref(),
            Some("files/zhang_id.jpg")
        );
        assert_eq!(
            near_match("files/licnece.pdf", &names).as_deref(),
            Some("files/licence.pdf")
        );
        assert_eq!(
            near_match("contract.PDF", &names).as_deref(),
            Some("contract.pdf")
        );
        assert_eq!(near_match("files/agreement.pdf", &names), None);
    }

    #[test]
    fn names_are_listed_only_inside_the_bundle() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("files")).unwrap();
        std::fs::write(dir.path().join("files/a.jpg"), b"x").unwrap();
        let bundle = Folder::open(dir.path()).unwrap();
        assert_eq!(names_in_folder(&bundle, "files/a.pdf"), vec!["a.jpg"]);
        assert!(names_in_folder(&bundle, "files/../files/a.pdf").is_empty());
        assert!(names_in_folder(&bundle, "/etc/passwd").is_empty());
        let files = Folder::open(&dir.path().join("files")).unwrap();
        assert!(names_in_folder(&files, "../x").is_empty());
        // A folder that is a link is not listed, even inside the bundle.
        std::os::unix::fs::symlink(dir.path().join("files"), dir.path().join("linked")).unwrap();
        assert!(names_in_folder(&bundle, "linked/a.pdf").is_empty());
    }

    #[test]
    fn a_file_is_renamed_for_its_content() {
        assert_eq!(renamed_for("files/id.jpg", FileKind::Png), "files/id.png");
        assert_eq!(
            renamed_for("files/a.b/scan", FileKind::Pdf),
            "files/a.b/scan.pdf"
        );
        assert_eq!(renamed_for("scan.JPEG", FileKind::Pdf), "scan.pdf");
    }

    #[test]
    fn advice_names_the_accepted_formats() {
        for reference in ["a.docx", "b.HEIC", "c.webp", "d"] {
            let advice = format_advice(reference);
            assert!(advice.zh.contains("PDF、JPEG、PNG"), "{}", advice.zh);
            assert!(advice.en.contains("PDF, JPEG, PNG"), "{}", advice.en);
        }
        assert!(format_advice("a.docx").zh.contains("导出为 PDF"));
        assert!(format_advice("b.heic").en.contains("JPEG"));
    }
}
