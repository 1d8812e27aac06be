//! Where an image's file is, checked to be inside the library root. Folder and file names come
//! from the database, which scripts can write to, so they are not trusted: `..`, absolute
//! paths and symlinks that lead out of the library are refused.

use std::path::{Component, Path, PathBuf};

/// The canonical path of `root/folder/filename`, or why it is refused (for the log).
/// `root` must already be canonical.
pub fn file_inside(root: &Path, folder: &str, filename: &str) -> Result<PathBuf, String> {
    let relative = Path::new(folder).join(filename);
    if let Some(bad) = relative
        .components()
        .find(|c| !matches!(c, Component::Normal(_)))
    {
        return Err(format!(
            "the stored path {} has a {bad:?} part",
            relative.display()
        ));
    }
    let joined = root.join(&relative);
    let canonical = joined
        .canonicalize()
        .map_err(|e| format!("cannot resolve {}: {e}", joined.display()))?;
    if !canonical.starts_with(root) {
        return Err(format!(
            "{} resolves to {}, outside the library {}",
            joined.display(),
            canonical.display(),
            root.display()
        ));
    }
    if !canonical.is_file() {
        return Err(format!("{} is not a file", canonical.display()));
    }
    Ok(canonical)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_files_inside_the_root_are_found() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("lib");
        std::fs::create_dir_all(root.join("s1")).unwrap();
        std::fs::write(root.join("s1/a.png"), b"x").unwrap();
        std::fs::write(dir.path().join("secret.txt"), b"x").unwrap();
        let root = root.canonicalize().unwrap();
        assert!(file_inside(&root, "s1", "a.png").is_ok());
        assert!(file_inside(&root, "s1", "../../secret.txt").is_err());
        assert!(file_inside(&root, "..", "secret.txt").is_err());
        assert!(file_inside(&root, "s1", "/etc/passwd").is_err());
        assert!(file_inside(&root, "s1", "").is_err());
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(dir.path().join("secret.txt"), root.join("s1/link.png"))
                .unwrap();
            let err = file_inside(&root, "s1", "link.png").unwrap_err();
            assert!(err.contains("outside the library"), "{err}");
        }
    }
}
