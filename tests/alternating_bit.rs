//! The alternating-bit protocol (the benchmark's sequence-heavy model): TLC's figures for
//! `small`, the reordering bug's shortest counterexample, and TLC's agreement on both.

#[allow(dead_code)]
#[path = "../examples/alternating_bit.rs"]
mod example;

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use example::alternating_bit;
use lamport::prelude::*;
use lamport::CheckOptions;

fn config(name: &str) -> alternating_bit::Model {
    alternating_bit::definition()
        .config(name)
        .expect("configuration")
}

#[test]
fn small_has_tlcs_figures_for_any_thread_count() {
    // TLC (2026.12.01) on the export: 1439 states generated, 249 distinct, depth 14.
    for threads in [1, 2, 3] {
        config("small")
            .check_with(&CheckOptions {
                threads,
                ..CheckOptions::default()
            })
            .assert_ok()
            .assert_counts(249, 1_439, 14);
    }
}

#[test]
fn a_reordering_channel_delivers_a_stale_message() {
    config("bug_reordering")
        .check_with(&CheckOptions {
            threads: 1,
            ..CheckOptions::default()
        })
        .assert_violation("StaleFree", 11);
}

#[test]
fn tlc_agrees() {
    for name in ["small", "bug_reordering"] {
        common::assert_tlc_agrees(&config(name));
    }
}
