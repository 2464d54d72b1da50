//! What a step changed, at the level people think in: the entries of a map that changed
//! (`currentTerm[s1]: 1 → 2`, nested keys too: `nextIndex[s2][s3]: 1 → 2`), the elements added
//! to or removed from a set or a bag (`msgs: + [type |-> "commit"]`), the elements appended to
//! or taken from a sequence, and the whole value (`tmState: "init" → "committed"`) only where
//! that is shorter.
//!
//! Diffs work on printed values ([`TlaValue`]), so lamport's traces and TLC's read alike.

use crate::tla_value::TlaValue;

/// The lines that say how variable `name` went from `old` to `new` (both printed TLA+ values),
/// each `path: change`. `bag`: the variable is a bag (a function from elements to their
/// numbers of copies), whose changes read as elements added and removed.
pub fn diff_lines(name: &str, old: &str, new: &str, bag: bool) -> Vec<String> {
    if old == new {
        return Vec::new();
    }
    match (TlaValue::parse(old), TlaValue::parse(new)) {
        (Some(o), Some(n)) => diff(name, &o, &n, bag),
        _ => vec![whole(name, old, new)],
    }
}

fn whole(path: &str, old: &str, new: &str) -> String {
    format!("{path}: {old} → {new}")
}

fn size(lines: &[String]) -> usize {
    lines.iter().map(|l| l.chars().count()).sum()
}

/// The shorter of the structural change and the whole value.
fn diff(path: &str, old: &TlaValue, new: &TlaValue, bag: bool) -> Vec<String> {
    if old == new {
        return Vec::new();
    }
    let w = vec![whole(path, &old.render(), &new.render())];
    match structural(path, old, new, bag) {
        Some(s) if !s.is_empty() && size(&s) <= size(&w) => s,
        _ => w,
    }
}

fn structural(path: &str, old: &TlaValue, new: &TlaValue, bag: bool) -> Option<Vec<String>> {
    use TlaValue::*;
    if bag {
        if let Some(lines) = bag_diff(path, old, new) {
            return Some(lines);
        }
    }
    match (old, new) {
        (Set(a), Set(b)) => {
            let mut out: Vec<String> = a
                .iter()
                .filter(|x| !b.contains(x))
                .map(|x| format!("{path}: - {x}"))
                .collect();
            out.extend(
                b.iter()
                    .filter(|x| !a.contains(x))
                    .map(|x| format!("{path}: + {x}")),
            );
            Some(out)
        }
        (Seq(a), Seq(b)) => {
            // As a queue (taken from the head, appended at the end), or, for sequences of one
            // length, index by index: whichever is shorter.
            let queue = seq_diff(path, a, b);
            if a.len() != b.len() {
                return Some(queue);
            }
            let by_index: Vec<String> = a
                .iter()
                .zip(b)
                .enumerate()
                .flat_map(|(i, (x, y))| diff(&format!("{path}[{}]", i + 1), x, y, false))
                .collect();
            Some(if size(&queue) < size(&by_index) {
                queue
            } else {
                by_index
            })
        }
        (Record(_), Record(_)) | (Func(_), Func(_)) | (Func(_), Seq(_)) | (Seq(_), Func(_)) => {
            entries_diff(path, old, new)
        }
        _ => None,
    }
}

/// A sequence that lost elements at its head and gained some at its end (a queue), or lost
/// some at its end.
fn seq_diff(path: &str, a: &[TlaValue], b: &[TlaValue]) -> Vec<String> {
    if b.len() < a.len() && a.starts_with(b) {
        return a[b.len()..]
            .iter()
            .map(|x| format!("{path}: - {x} (from the end)"))
            .collect();
    }
    // The fewest elements taken from the head such that the rest is where `b` starts.
    let k = (0..=a.len())
        .find(|&k| b.starts_with(&a[k..]))
        .unwrap_or(a.len());
    let mut out: Vec<String> = a[..k]
        .iter()
        .map(|x| format!("{path}: - {x} (from the head)"))
        .collect();
    out.extend(
        b[a.len() - k..]
            .iter()
            .map(|x| format!("{path}: + {x} (appended)")),
    );
    out
}

/// Changed, added and removed entries of two functions (or records, or a sequence and a
/// function printed differently).
fn entries_diff(path: &str, old: &TlaValue, new: &TlaValue) -> Option<Vec<String>> {
    let (a, b) = (old.entries()?, new.entries()?);
    let record = matches!(old, TlaValue::Record(_)) && matches!(new, TlaValue::Record(_));
    let at = |k: &TlaValue| match (record, k) {
        (true, TlaValue::Atom(f)) => format!("{path}.{f}"),
        _ => format!("{path}[{k}]"),
    };
    let mut out = Vec::new();
    for (k, x) in &a {
        match b.iter().find(|(k2, _)| k2 == k) {
            Some((_, y)) => out.extend(diff(&at(k), x, y, false)),
            None => out.push(format!("{}: - {x} (entry removed)", at(k))),
        }
    }
    for (k, y) in &b {
        if !a.iter().any(|(k2, _)| k2 == k) {
            out.push(format!("{}: + {y} (new entry)", at(k)));
        }
    }
    Some(out)
}

/// A bag: a function from elements to positive numbers of copies (`<<>>` when empty).
fn bag_counts(v: &TlaValue) -> Option<Vec<(&TlaValue, i128)>> {
    match v {
        TlaValue::Func(es) => es
            .iter()
            .map(|(k, n)| n.as_int().filter(|n| *n > 0).map(|n| (k, n)))
            .collect(),
        TlaValue::Seq(xs) if xs.is_empty() => Some(Vec::new()),
        _ => None,
    }
}

fn bag_diff(path: &str, old: &TlaValue, new: &TlaValue) -> Option<Vec<String>> {
    let (a, b) = (bag_counts(old)?, bag_counts(new)?);
    let count = |bag: &[(&TlaValue, i128)], k: &TlaValue| {
        bag.iter().find(|(x, _)| *x == k).map_or(0, |(_, n)| *n)
    };
    let mut out = Vec::new();
    let keys = a.iter().chain(&b).map(|(k, _)| *k);
    let mut seen: Vec<&TlaValue> = Vec::new();
    for k in keys {
        if seen.contains(&k) {
            continue;
        }
        seen.push(k);
        let (m, n) = (count(&a, k), count(&b, k));
        let copies = |n: i128| match n {
            1 => "1 copy".to_string(),
            n => format!("{n} copies"),
        };
        if n > m {
            let times = if n - m > 1 {
                format!(" ×{}", n - m)
            } else {
                String::new()
            };
            let now = if m > 0 {
                format!(" ({} now)", copies(n))
            } else {
                String::new()
            };
            out.push(format!("{path}: + {k}{times}{now}"));
        } else if n < m {
            let times = if m - n > 1 {
                format!(" ×{}", m - n)
            } else {
                String::new()
            };
            let left = if n > 0 {
                format!(" ({} left)", copies(n))
            } else {
                String::new()
            };
            out.push(format!("{path}: - {k}{times}{left}"));
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_entry_of_a_map_is_one_line() {
        assert_eq!(
            diff_lines(
                "rmState",
                r#"(r1 :> "working" @@ r2 :> "working" @@ r3 :> "working")"#,
                r#"(r1 :> "prepared" @@ r2 :> "working" @@ r3 :> "working")"#,
                false
            ),
            [r#"rmState[r1]: "working" → "prepared""#]
        );
    }

    #[test]
    fn nested_maps_name_every_key() {
        let old =
            "(s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1))";
        let new =
            "(s1 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 1) @@ s2 :> (s1 :> 1 @@ s2 :> 1 @@ s3 :> 2))";
        assert_eq!(
            diff_lines("nextIndex", old, new, false),
            ["nextIndex[s2][s3]: 1 → 2"]
        );
    }

    #[test]
    fn sets_say_what_was_added_and_removed() {
        assert_eq!(
            diff_lines(
                "msgs",
                r#"{[type |-> "prepared", rm |-> r1]}"#,
                r#"{[type |-> "commit"], [type |-> "prepared", rm |-> r1]}"#,
                false
            ),
            [r#"msgs: + [type |-> "commit"]"#]
        );
        assert_eq!(
            diff_lines("alive", "{1, 2, 3}", "{1, 3}", false),
            ["alive: - 2"]
        );
    }

    #[test]
    fn bags_count_copies() {
        let m = r#"[type |-> "rvq", term |-> 2]"#;
        assert_eq!(
            diff_lines("msgs", "<<>>", &format!("({m} :> 1)"), true),
            [format!("msgs: + {m}")]
        );
        assert_eq!(
            diff_lines("msgs", &format!("({m} :> 1)"), &format!("({m} :> 2)"), true),
            [format!("msgs: + {m} (2 copies now)")]
        );
        assert_eq!(
            diff_lines("msgs", &format!("({m} :> 2)"), &format!("({m} :> 1)"), true),
            [format!("msgs: - {m} (1 copy left)")]
        );
        assert_eq!(
            diff_lines("msgs", &format!("({m} :> 1)"), "<<>>", true),
            [format!("msgs: - {m}")]
        );
    }

    #[test]
    fn sequences_say_what_was_appended_and_taken() {
        assert_eq!(
            diff_lines(
                "inbox",
                "(1 :> <<>> @@ 2 :> <<1>>)",
                "(1 :> <<>> @@ 2 :> <<1, 2>>)",
                false
            ),
            ["inbox[2]: + 2 (appended)"]
        );
        assert_eq!(
            diff_lines(
                "q",
                r#"<<"aaaaaaa", "bbbbbbb", "ccccccc">>"#,
                r#"<<"bbbbbbb", "ccccccc", "ddddddd">>"#,
                false
            ),
            [
                r#"q: - "aaaaaaa" (from the head)"#,
                r#"q: + "ddddddd" (appended)"#
            ]
        );
        assert_eq!(
            diff_lines(
                "log",
                "<<[term |-> 1, value |-> v1], [term |-> 2, value |-> v2]>>",
                "<<[term |-> 1, value |-> v1]>>",
                false
            ),
            ["log: - [term |-> 2, value |-> v2] (from the end)"]
        );
        // Same length: by index; the short whole value of the entry.
        assert_eq!(
            diff_lines("hist", "<<<<>>, <<1>>>>", "<<<<1>>, <<1>>>>", false),
            ["hist[1]: <<>> → <<1>>"]
        );
    }

    #[test]
    fn whole_values_only_when_shorter() {
        assert_eq!(
            diff_lines("tmState", r#""init""#, r#""committed""#, false),
            [r#"tmState: "init" → "committed""#]
        );
        // Every entry changed: three short lines are still shorter than the whole function.
        assert_eq!(
            diff_lines(
                "x",
                "(a :> 1 @@ b :> 1 @@ c :> 1)",
                "(a :> 2 @@ b :> 2 @@ c :> 2)",
                false
            ),
            ["x[a]: 1 → 2", "x[b]: 1 → 2", "x[c]: 1 → 2"]
        );
        // A sequence replaced: the whole value is shorter than its removals and appends.
        assert_eq!(
            diff_lines("s", "<<1, 2>>", "<<3>>", false),
            ["s: <<1, 2>> → <<3>>"]
        );
        assert_eq!(
            diff_lines("p", "[a |-> 1, b |-> 2]", "[a |-> 1, b |-> 3]", false),
            ["p.b: 2 → 3"]
        );
        assert_eq!(
            diff_lines("f", "<<>>", "(r1 :> 1)", false),
            ["f: <<>> → (r1 :> 1)"]
        );
        assert_eq!(
            diff_lines("v", "not a value {", "x", false),
            ["v: not a value { → x"]
        );
    }
}
