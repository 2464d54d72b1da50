//! The naming rule between Rust and TLA+, used by the macro, the checker's reports and the
//! exporter alike, so a name reads the same in a trace, a report and the `.tla` file.
//!
//! | Rust item                                   | TLA+ name                 | example                          |
//! |---------------------------------------------|---------------------------|----------------------------------|
//! | model module                                | PascalCase                | `two_phase_commit` → `TwoPhaseCommit` |
//! | state field (variable)                      | lowerCamelCase            | `rm_state` → `rmState`           |
//! | constants field                             | PascalCase                | `rm` → `Rm`, `max_ballot` → `MaxBallot` |
//! | action, invariant, constraint, helper        | PascalCase, or `name = ".."` | `tm_commit` → `TmCommit`      |
//! | unit enum variant                           | snake_case string         | `RmState::Working` → `"working"` |
//! | record field / variant field                | lowerCamelCase            | `max_vbal` → `maxVbal`           |
//! | model value `Rm` number *i*                 | prefix + *i*              | `r1`, `r2`                       |

/// `two_phase_commit` → `TwoPhaseCommit`.
pub fn pascal_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = true;
    for ch in snake.chars() {
        if ch == '_' {
            upper = true;
        } else if upper {
            out.extend(ch.to_uppercase());
            upper = false;
        } else {
            out.push(ch);
        }
    }
    out
}

/// `rm_state` → `rmState`.
pub fn camel_case(snake: &str) -> String {
    let pascal = pascal_case(snake);
    let mut chars = pascal.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `TmState`/`Working` → `tm_state`/`working`.
pub fn snake_case(pascal: &str) -> String {
    let mut out = String::with_capacity(pascal.len() + 4);
    for (i, ch) in pascal.chars().enumerate() {
        if ch.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.extend(ch.to_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// The default prefix of a model-value set: its type name's first letter, lowercased (`Rm` → `r`).
pub fn model_value_prefix(type_name: &str) -> String {
    type_name
        .chars()
        .next()
        .map(|c| c.to_lowercase().collect())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cases() {
        assert_eq!(pascal_case("two_phase_commit"), "TwoPhaseCommit");
        assert_eq!(pascal_case("tm_rcv_prepared"), "TmRcvPrepared");
        assert_eq!(camel_case("rm_state"), "rmState");
        assert_eq!(camel_case("msgs"), "msgs");
        assert_eq!(snake_case("TmState"), "tm_state");
        assert_eq!(snake_case("Working"), "working");
        assert_eq!(model_value_prefix("Rm"), "r");
    }
}
