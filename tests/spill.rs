//! The frontier and the trace records on disk (`--spill-after`, `--spill-dir`): the same
//! figures and counterexample as in memory, for any thread count, and no file left behind.

#[allow(dead_code)]
#[path = "../examples/two_phase_commit.rs"]
mod example;

use example::two_phase_commit;
use lamport::prelude::*;
use lamport::CheckOptions;

fn config(name: &str) -> two_phase_commit::Model {
    two_phase_commit::definition()
        .config(name)
        .expect("configuration")
}

#[test]
fn a_search_on_disk_has_the_figures_of_one_in_memory() {
    let dir = tempfile::tempdir().unwrap();
    for threads in [1, 2] {
        let on_disk = CheckOptions {
            threads,
            safety_only: true,
            spill_after: Some(1024),
            spill_dir: Some(dir.path().to_path_buf()),
            ..CheckOptions::default()
        };
        let r = config("rm5").check_with(&on_disk);
        r.assert_ok();
        assert_eq!(
            (r.distinct_states, r.generated_states, r.depth),
            (8_832, 58_146, 17)
        );
        assert!(
            r.disk_peak_bytes > 1024,
            "{} bytes on disk",
            r.disk_peak_bytes
        );

        let bug = config("bug_commit_early");
        let spilled = bug.check_with(&on_disk);
        let in_memory = bug.check_with(&CheckOptions {
            threads,
            ..CheckOptions::default()
        });
        assert_eq!(spilled.outcome, in_memory.outcome);
        assert_eq!(
            spilled.trace.as_ref().map(|t| t.to_text()),
            in_memory.trace.as_ref().map(|t| t.to_text())
        );
        assert_eq!(
            (
                spilled.distinct_states,
                spilled.generated_states,
                spilled.depth
            ),
            (
                in_memory.distinct_states,
                in_memory.generated_states,
                in_memory.depth
            )
        );
    }
    let left: Vec<_> = std::fs::read_dir(dir.path()).unwrap().collect();
    assert!(left.is_empty(), "files left behind: {left:?}");
}
