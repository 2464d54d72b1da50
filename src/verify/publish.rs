//! How `verify` replaces the files of an earlier run in its output folder without ever leaving
//! a summary beside files that contradict it.
//!
//! The run writes everything into a staging folder inside the output folder (same file system,
//! so a move is a rename). Publishing then removes the earlier summary first, removes lamport's
//! other earlier files that this run does not replace (those the manifest `.lamport-files`
//! lists, and `counterexample.itf.json` and `.html`), moves the new files in, and moves the summary in
//! last. Interrupted anywhere, the folder holds either the earlier run's files untouched or no
//! summary at all; files lamport did not write are never touched.

use std::path::{Path, PathBuf};

/// The files lamport wrote into the folder last time, one name a line.
const MANIFEST: &str = ".lamport-files";
const STAGING_PREFIX: &str = ".lamport-staging-";
const SUMMARY: &str = "verification_summary.md";
/// Written by a run that found a counterexample; always lamport's.
const COUNTEREXAMPLE: [&str; 2] = ["counterexample.itf.json", "counterexample.html"];

/// Creates `out` and a fresh staging folder in it (removing those a killed run left behind).
pub fn stage(out: &Path) -> Result<PathBuf, String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    if let Ok(entries) = std::fs::read_dir(out) {
        for e in entries.flatten() {
            if e.file_name().to_string_lossy().starts_with(STAGING_PREFIX) {
                let _ = std::fs::remove_dir_all(e.path());
            }
        }
    }
    let staging = out.join(format!("{STAGING_PREFIX}{}", std::process::id()));
    std::fs::create_dir(&staging)
        .map_err(|e| format!("cannot write into {}: {e}", out.display()))?;
    Ok(staging)
}

/// Moves the staged files into `out`, the summary last (see the module's comment).
pub fn publish(staging: &Path, out: &Path) -> Result<(), String> {
    let mut new: Vec<String> = std::fs::read_dir(staging)
        .map_err(|e| format!("cannot read {}: {e}", staging.display()))?
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    new.sort();
    let remove = |name: &str| -> Result<(), String> {
        match std::fs::remove_file(out.join(name)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(format!(
                "cannot remove the earlier {}: {e}",
                out.join(name).display()
            )),
            _ => Ok(()),
        }
    };
    // From here until the last step, the folder has no summary.
    remove(SUMMARY)?;
    let mut earlier: Vec<String> = std::fs::read_to_string(out.join(MANIFEST))
        .unwrap_or_default()
        .lines()
        .map(str::to_string)
        .collect();
    earlier.extend(COUNTEREXAMPLE.map(str::to_string));
    for name in &earlier {
        // Only plain names: a manifest never sends lamport outside its folder.
        let plain = !name.is_empty() && Path::new(name).file_name() == Some(name.as_ref());
        if plain && !new.contains(name) {
            remove(name)?;
        }
    }
    let manifest: String = new.iter().map(|n| format!("{n}\n")).collect();
    std::fs::write(staging.join(MANIFEST), manifest)
        .map_err(|e| format!("cannot write {}: {e}", out.join(MANIFEST).display()))?;
    let moves = new
        .iter()
        .filter(|n| n.as_str() != SUMMARY)
        .map(String::as_str)
        .chain([MANIFEST, SUMMARY]);
    for name in moves {
        if staging.join(name).exists() {
            std::fs::rename(staging.join(name), out.join(name))
                .map_err(|e| format!("cannot move {} into place: {e}", out.join(name).display()))?;
        }
    }
    Ok(())
}
