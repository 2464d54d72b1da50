//! Writes TLA+ expressions the way people write them: junction lists as aligned bullets,
//! parentheses only where precedence needs them.

use std::cell::Cell;

use crate::ast::{ExceptStep, T};

thread_local! {
    /// How many CASE expressions the text being written is inside.
    static CASE_DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Binding strength, higher binds tighter (after the TLA+ operator precedence table).
fn prec(e: &T) -> u8 {
    match e {
        T::Let(..) | T::If(..) | T::Case(..) | T::Forall(..) | T::Exists(..) | T::Choose(..) => 0,
        T::Implies(..) => 1,
        T::Or(_) => 2,
        T::And(_) => 3,
        T::Not(_) => 4,
        T::Infix(op, ..) => infix_prec(op),
        T::Neg(_) => 12,
        T::Unchanged(_) => 4,
        _ => 20,
    }
}

fn infix_prec(op: &str) -> u8 {
    match op {
        "=" | "#" | "<" | "<=" | ">" | ">=" | "\\in" | "\\notin" | "\\subseteq" => 5,
        "@@" => 6,
        ":>" => 7,
        ".." => 8,
        "\\cup" | "\\cap" | "\\" => 8,
        "+" | "-" | "\\o" => 10,
        "*" | "\\div" | "%" => 11,
        _ => 5,
    }
}

/// Prints `e` starting at column `col` (for the alignment of multi-line junction lists).
pub fn print(e: &T, col: usize) -> String {
    let mut out = " ".repeat(col);
    write(e, col, &mut out);
    out.split_off(col)
}

fn write_sub(e: &T, min: u8, col: usize, out: &mut String) {
    if prec(e) < min {
        out.push('(');
        write(e, col + 1, out);
        out.push(')');
    } else {
        write(e, col, out);
    }
}

/// The column the next character goes to (the buffer starts with the indentation).
fn current_col(out: &str, _start_col: usize) -> usize {
    match out.rfind('\n') {
        Some(i) => out.len() - i - 1,
        None => out.len(),
    }
}

fn list(items: &[T], col: usize, out: &mut String) {
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write(it, col, out);
    }
}

fn write(e: &T, col: usize, out: &mut String) {
    match e {
        T::Name(n) => out.push_str(n),
        T::Primed(n) => {
            out.push_str(n);
            out.push('\'');
        }
        T::Prime(e) => {
            out.push('(');
            let c = current_col(out, col);
            write(e, c, out);
            out.push_str(")'");
        }
        T::Num(n) => out.push_str(&n.to_string()),
        T::Str(s) => {
            out.push('"');
            out.push_str(s);
            out.push('"');
        }
        T::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        T::Apply(op, args)
            if matches!(op.as_str(), "DOMAIN" | "SUBSET" | "UNION") && args.len() == 1 =>
        {
            out.push_str(op);
            out.push(' ');
            write_sub(&args[0], 13, col, out);
        }
        T::Apply(op, args) => {
            out.push_str(op);
            if !args.is_empty() {
                out.push('(');
                list(args, col, out);
                out.push(')');
            }
        }
        T::Infix(op, a, b) => {
            let p = infix_prec(op);
            // Left-associative for the arithmetic and set operators; comparisons do not chain.
            write_sub(a, if p == 5 { 6 } else { p }, col, out);
            out.push(' ');
            out.push_str(op);
            out.push(' ');
            let c = current_col(out, col);
            write_sub(b, p + 1, c, out);
        }
        T::Not(a) => match &**a {
            // `~(a = b)` reads better as `a # b`.
            T::Infix("=", x, y) => write(&T::Infix("#", x.clone(), y.clone()), col, out),
            _ => {
                // `~x \in S` means `~(x \in S)`, but only a careful reader knows: parenthesize.
                out.push('~');
                write_sub(a, 13, col + 1, out);
            }
        },
        T::Neg(a) => {
            out.push('-');
            write_sub(a, 13, col + 1, out);
        }
        T::And(items) | T::Or(items) => {
            let bullet = if matches!(e, T::And(_)) {
                "/\\ "
            } else {
                "\\/ "
            };
            let here = current_col(out, col);
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                    out.push_str(&" ".repeat(here));
                }
                out.push_str(bullet);
                write(it, here + 3, out);
            }
        }
        T::Implies(a, b) => {
            write_sub(a, 4, col, out);
            out.push_str(" => ");
            let c = current_col(out, col);
            write_sub(b, 1, c, out);
        }
        T::If(c, t, f) => {
            out.push_str("IF ");
            let cc = current_col(out, col);
            // A bullet list followed by more text on its line would swallow it: parenthesize.
            write_sub(c, 4, cc, out);
            out.push_str(" THEN ");
            let tc = current_col(out, col);
            write_sub(t, 4, tc, out);
            out.push_str(" ELSE ");
            let fc = current_col(out, col);
            write(f, fc, out);
        }
        // Inside another CASE's arm, a CASE's `[]`s would be read as the outer CASE's: the
        // inner one is parenthesized.
        T::Case(..) if CASE_DEPTH.with(|d| d.get()) > 0 && !out.ends_with('(') => {
            out.push('(');
            let depth = CASE_DEPTH.with(|d| d.replace(0));
            let c = current_col(out, col);
            write(e, c, out);
            CASE_DEPTH.with(|d| d.set(depth));
            out.push(')');
        }
        T::Case(arms, other) => {
            CASE_DEPTH.with(|d| d.set(d.get() + 1));
            let here = current_col(out, col);
            out.push_str("CASE ");
            for (i, (g, v)) in arms.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                    out.push_str(&" ".repeat(here + 2));
                    out.push_str("[] ");
                }
                let gc = current_col(out, col);
                write_sub(g, 4, gc, out);
                out.push_str(" -> ");
                let vc = current_col(out, col);
                write_sub(v, 1, vc, out);
            }
            if let Some(o) = other {
                out.push('\n');
                out.push_str(&" ".repeat(here + 2));
                out.push_str("[] OTHER -> ");
                let oc = current_col(out, col);
                write_sub(o, 1, oc, out);
            }
            CASE_DEPTH.with(|d| d.set(d.get() - 1));
        }
        T::Let(defs, body) => {
            let here = current_col(out, col);
            out.push_str("LET ");
            for (i, (n, v)) in defs.iter().enumerate() {
                if i > 0 {
                    out.push('\n');
                    out.push_str(&" ".repeat(here + 4));
                }
                out.push_str(n);
                out.push_str(" == ");
                let vc = current_col(out, col);
                write(v, vc, out);
            }
            out.push('\n');
            out.push_str(&" ".repeat(here));
            out.push_str("IN  ");
            write(body, here + 4, out);
        }
        T::Forall(x, s, b) | T::Exists(x, s, b) | T::Choose(x, s, b) => {
            out.push_str(match e {
                T::Forall(..) => "\\A ",
                T::Exists(..) => "\\E ",
                _ => "CHOOSE ",
            });
            out.push_str(x);
            out.push_str(" \\in ");
            write_sub(s, 9, col, out);
            out.push_str(" : ");
            let bc = current_col(out, col);
            write(b, bc, out);
        }
        T::SetEnum(items) => {
            out.push('{');
            list(items, col, out);
            out.push('}');
        }
        T::SetFilter(x, s, p) => {
            out.push('{');
            out.push_str(x);
            out.push_str(" \\in ");
            write_sub(s, 9, col, out);
            out.push_str(" : ");
            let c = current_col(out, col);
            write(p, c, out);
            out.push('}');
        }
        T::SetMap(v, x, s) => {
            out.push('{');
            let c = current_col(out, col);
            write(v, c, out);
            out.push_str(" : ");
            out.push_str(x);
            out.push_str(" \\in ");
            write_sub(s, 9, col, out);
            out.push('}');
        }
        T::FnCons(x, s, v) => {
            out.push('[');
            out.push_str(x);
            out.push_str(" \\in ");
            write_sub(s, 9, col, out);
            out.push_str(" |-> ");
            let c = current_col(out, col);
            write(v, c, out);
            out.push(']');
        }
        T::FnApp(f, a) => {
            write_sub(f, 20, col, out);
            out.push('[');
            let c = current_col(out, col);
            write(a, c, out);
            out.push(']');
        }
        T::Except(f, path, v) => {
            out.push('[');
            write(f, col + 1, out);
            out.push_str(" EXCEPT !");
            for step in path {
                match step {
                    ExceptStep::Key(k) => {
                        out.push('[');
                        write(k, col, out);
                        out.push(']');
                    }
                    ExceptStep::Field(f) => {
                        out.push('.');
                        out.push_str(f);
                    }
                }
            }
            out.push_str(" = ");
            let c = current_col(out, col);
            write(v, c, out);
            out.push(']');
        }
        T::Record(fields) => {
            out.push('[');
            for (i, (n, v)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(n);
                out.push_str(" |-> ");
                let c = current_col(out, col);
                write(v, c, out);
            }
            out.push(']');
        }
        T::Dot(r, f) => {
            write_sub(r, 20, col, out);
            out.push('.');
            out.push_str(f);
        }
        T::Tuple(items) => {
            out.push_str("<<");
            list(items, col, out);
            out.push_str(">>");
        }
        T::Unchanged(vars) => {
            out.push_str("UNCHANGED ");
            if vars.len() == 1 {
                out.push_str(&vars[0]);
            } else {
                out.push_str("<<");
                out.push_str(&vars.join(", "));
                out.push_str(">>");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn junctions_are_bullets_and_precedence_adds_parentheses() {
        let e = T::and(vec![
            T::infix("=", T::name("x"), T::Num(1)),
            T::or(vec![T::name("a"), T::name("b")]),
            T::infix("*", T::infix("+", T::name("y"), T::Num(1)), T::Num(2)),
        ]);
        assert_eq!(
            print(&e, 0),
            "/\\ x = 1\n/\\ \\/ a\n   \\/ b\n/\\ (y + 1) * 2"
        );
        let inner = T::Case(vec![(T::name("p"), T::Num(1))], Some(Box::new(T::Num(2))));
        let outer = T::Case(
            vec![
                (T::name("a"), T::and(vec![T::name("b"), inner])),
                (T::name("c"), T::Num(3)),
            ],
            None,
        );
        assert_eq!(print(&outer, 0), "CASE a -> /\\ b\n          /\\ (CASE p -> 1\n                [] OTHER -> 2)\n  [] c -> 3");
        let e = T::Not(Box::new(T::infix("\\in", T::name("x"), T::name("S"))));
        assert_eq!(print(&e, 0), "~(x \\in S)");
    }
}
