//! Names from the original spec (`#[value(rename = "..")]`, a field `r#type`): the checker's
//! traces, its ITF and the TLA+ export all use the kept spelling, and TLC agrees on the export.

#[allow(dead_code)]
#[path = "conformance/common.rs"]
mod common;

use lamport::{ModelExt, Outcome};

/// Votes under the spellings of a TLA+ original: `"YES"`/`"NO"`, messages tagged `"1a"` and
/// `"DecideNB"`, a field `maxVBal`, and a record with a field `type`.
#[lamport::model(check_deadlock = false)]
pub mod kept_names {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub bound: i64,
    }

    #[configs]
    impl Config {
        pub fn holds() -> Self {
            Config { bound: 4 }
        }
        pub fn fails() -> Self {
            Config { bound: 2 }
        }
    }

    #[derive(Value)]
    pub enum Answer {
        #[value(rename = "YES")]
        Yes,
        #[value(rename = "NO")]
        No,
    }

    #[derive(Value)]
    pub enum Msg {
        #[value(rename = "1a")]
        Phase1a { bal: i64 },
        #[value(rename = "DecideNB")]
        DecideNb {
            #[value(rename = "maxVBal")]
            max_vbal: i64,
            answer: Answer,
        },
    }

    #[derive(Value)]
    pub struct Note {
        pub r#type: Answer,
        pub count: i64,
    }

    #[state]
    pub struct State {
        pub msgs: Set<Msg>,
        pub note: Note,
    }

    #[init]
    fn init() -> State {
        State {
            msgs: Set::new(),
            note: Note {
                r#type: Answer::No,
                count: 0,
            },
        }
    }

    #[action]
    fn propose(s: &mut State) {
        require!(!s.msgs.contains(&Msg::Phase1a { bal: 0 }));
        s.msgs.insert(Msg::Phase1a { bal: 0 });
    }

    #[action(a in [Answer::Yes, Answer::No])]
    fn vote(s: &mut State, a: Answer) {
        require!(s.note.count < 3);
        s.msgs.insert(Msg::DecideNb {
            max_vbal: s.note.count,
            answer: a,
        });
        s.note.r#type = a;
        s.note.count += 1;
    }

    #[invariant(name = "Decided")]
    fn decided(s: &State) -> bool {
        s.msgs.iter().all(|m| match m {
            Msg::Phase1a { bal } => bal == 0,
            Msg::DecideNb { max_vbal, answer } => {
                max_vbal < s.note.count && (max_vbal + 1 < s.note.count || answer == s.note.r#type)
            }
        })
    }

    fn says_yes(m: &Msg) -> bool {
        match m {
            Msg::DecideNb { answer, .. } => *answer == Answer::Yes,
            Msg::Phase1a { .. } => false,
        }
    }

    // The modelling language takes a closure in `filter`, not a function's name.
    #[allow(clippy::redundant_closure)]
    #[invariant(name = "FewYes")]
    fn few_yes(s: &State, c: &Config) -> bool {
        s.msgs.iter().filter(|m| says_yes(m)).count() < c.bound as usize
    }
}

fn flat(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn renamed_variants_and_fields_keep_their_spelling_in_the_export() {
    let m = kept_names::model(kept_names::Config::holds());
    let report = m.check();
    println!("{}", report.to_json());
    report.assert_ok().assert_counts(30, 44, 5);
    let tla = flat(&common::parsed_export(&m).tla);
    for want in [
        "\"YES\"",
        "\"NO\"",
        "type |-> \"1a\"",
        "type |-> \"DecideNB\"",
        "maxVBal |->",
        ".type",
    ] {
        assert!(tla.contains(want), "`{want}` missing from\n{tla}");
    }
    for gone in ["\"yes\"", "phase1a", "decide_nb", "maxVbal", "r#type"] {
        assert!(!tla.contains(gone), "`{gone}` in\n{tla}");
    }
    common::assert_tlc_agrees(&m);
}

#[test]
fn a_trace_and_its_itf_use_the_kept_spelling() {
    let m = kept_names::model(kept_names::Config::fails());
    let report = m.check();
    assert!(
        matches!(&report.outcome, Outcome::InvariantViolated { invariant } if invariant == "FewYes"),
        "{:?}",
        report.outcome
    );
    let json = report.to_json();
    let text = json["counterexample"]["text"].as_str().unwrap().to_string();
    for want in [
        "type |-> \"DecideNB\"",
        "maxVBal |-> ",
        "answer |-> \"YES\"",
        "[type |-> \"NO\", count |-> 0]",
        "note.type: \"NO\" → \"YES\"",
    ] {
        assert!(text.contains(want), "`{want}` missing from\n{text}");
    }
    let itf = json["counterexample"]["itf"].to_string();
    for want in ["\"DecideNB\"", "\"maxVBal\"", "\"type\":\"YES\""] {
        assert!(itf.contains(want), "`{want}` missing from\n{itf}");
    }
    common::assert_tlc_agrees(&m);
}
