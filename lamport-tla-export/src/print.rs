//! Writes TLA+ expressions the way people write them: junction lists as aligned bullets,
//! parentheses only where precedence needs them.

use std::cell::Cell;

use lamport_ir::tla::{ExceptStep, T};

thread_local! {
    /// How many CASE expressions the text being written is inside.
    static CASE_DEPTH: Cell<usize> = const { Cell::new(0) };
}

/// Binding strength, higher binds tighter (after the TLA+ operator precedence table).
fn prec(e: &T) -> u8 {
    match e {
        T::Let(..) | T::If(..) | T::Case(..) | T::Forall(..) | T::Exists(..) | T::Choose(..) => 0,
        T::LeadsTo(..) | T::ForallMany { .. } | T::Lambda(..) => 0,
        T::Implies(..) => 1,
        T::Eventually(_) | T::AlwaysEventually(_) | T::BoxAction(_) => 4,
        T::Atom(a) => prec(a),
        T::Or(_) => 2,
        T::And(_) => 3,
        T::Not(_) => 4,
        T::Infix(op, ..) => infix_range(op).0,
        T::Neg(_) => 12,
        T::Num(n) if *n < 0 => 12,
        T::Unchanged(_) => 4,
        _ => 20,
    }
}

/// An infix operator's precedence range in TLA+ (Lamport's table), whether it chains on the left
/// (`a - b - c` is `(a - b) - c`), and whether it is associative (chains on the right too).
/// SANY rejects two operators whose ranges overlap without parentheses between them.
fn infix_range(op: &str) -> (u8, u8, bool, bool) {
    match op {
        "=" | "#" | "<" | "<=" | ">" | ">=" | "\\in" | "\\notin" | "\\subseteq" => {
            (5, 5, false, false)
        }
        "@@" => (6, 6, true, true),
        ":>" => (7, 7, false, false),
        "\\cup" | "\\cap" => (8, 8, true, true),
        "\\" => (8, 8, false, false),
        ".." => (9, 9, false, false),
        "+" => (10, 10, true, true),
        "-" => (11, 11, true, false),
        "%" => (10, 11, false, false),
        // `A \X B \X C` is the set of triples: written as one chain, never nested.
        "\\X" => (10, 13, true, false),
        "*" | "\\o" => (13, 13, true, true),
        "\\div" => (13, 13, false, false),
        _ => (5, 5, false, false),
    }
}

/// Whether `operand`, on the `left` or right of the infix operator `op`, needs parentheses.
fn needs_parens(op: &str, operand: &T, left: bool) -> bool {
    let (_, hi, left_assoc, assoc) = infix_range(op);
    match operand {
        T::Infix(o2, ..) if *o2 == op => !(if left { left_assoc } else { assoc }),
        _ => prec(operand) <= hi,
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

/// Writes `e` where a bare membership would read as a binder: the element of `{e : x \in S}`
/// (`{a \in b : x \in S}` is a filter) or of `{e, ..}`, a function's argument (`m[a \in b]`) or an `EXCEPT`
/// key. There a membership is parenthesized, and in a set's element also an expression that
/// extends to the right (a quantifier, `IF`, `CASE`, `LET`), whose end the `:` would blur.
fn write_unambiguous(e: &T, col: usize, out: &mut String, element: bool) {
    let membership = matches!(e, T::Infix(op, ..) if *op == "\\in" || *op == "\\notin");
    let open_ended = matches!(
        e,
        T::Forall(..)
            | T::ForallMany { .. }
            | T::Exists(..)
            | T::Choose(..)
            | T::If(..)
            | T::Case(..)
            | T::Let(..)
    );
    if membership || (element && open_ended) {
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
            let operand = |x: &T, left: bool, col: usize, out: &mut String| {
                if needs_parens(op, x, left) {
                    out.push('(');
                    write(x, col + 1, out);
                    out.push(')');
                } else {
                    write(x, col, out);
                }
            };
            operand(a, true, col, out);
            out.push(' ');
            out.push_str(op);
            out.push(' ');
            let c = current_col(out, col);
            operand(b, false, c, out);
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
            // `=>` does not chain in TLA+: `a => (b => c)`.
            write_sub(a, 4, col, out);
            out.push_str(" => ");
            let c = current_col(out, col);
            write_sub(b, 2, c, out);
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
            // `{x \in S}` and `{a, x \in S}` would read as the start of a filter
            // (`{x \in S : P}`, `{<<a, b>> \in S : P}`): a membership element is parenthesized.
            out.push('{');
            for (i, it) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                let c = current_col(out, col);
                write_unambiguous(it, c, out, false);
            }
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
            write_unambiguous(v, c, out, true);
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
            write_unambiguous(a, c, out, false);
            out.push(']');
        }
        T::Except(f, clauses) => {
            out.push('[');
            write(f, col + 1, out);
            out.push_str(" EXCEPT ");
            for (i, (path, v)) in clauses.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push('!');
                for step in path {
                    match step {
                        ExceptStep::Key(k) => {
                            out.push('[');
                            write_unambiguous(k, col, out, false);
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
            }
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
        T::RecordSet(fields) => {
            out.push('[');
            for (i, (n, v)) in fields.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(n);
                out.push_str(" : ");
                let c = current_col(out, col);
                write(v, c, out);
            }
            out.push(']');
        }
        T::FnSet(a, b) => {
            out.push('[');
            let c = current_col(out, col);
            write(a, c, out);
            out.push_str(" -> ");
            let c = current_col(out, col);
            write(b, c, out);
            out.push(']');
        }
        T::BoxAction(p) => {
            out.push_str("[][");
            let c = current_col(out, col);
            write(p, c, out);
            out.push_str("]_vars");
        }
        T::Eventually(p) | T::AlwaysEventually(p) => {
            out.push_str(if matches!(e, T::Eventually(_)) {
                "<>("
            } else {
                "[]<>("
            });
            let c = current_col(out, col);
            write(p, c, out);
            out.push(')');
        }
        T::LeadsTo(p, q) => {
            out.push('(');
            let start = out.len();
            let c = current_col(out, col);
            write(p, c, out);
            let multi_line = out[start..].contains('\n');
            out.push(')');
            if multi_line {
                out.push('\n');
                out.push_str(&" ".repeat(col));
            } else {
                out.push(' ');
            }
            out.push_str("~> ");
            let c = current_col(out, col);
            write(q, c, out);
        }
        T::Fair { strong, action } => {
            out.push_str(if *strong { "SF_vars(" } else { "WF_vars(" });
            let c = current_col(out, col);
            write(action, c, out);
            out.push(')');
        }
        T::Atom(a) => write(a, col, out),
        T::Lambda(params, body) => {
            out.push_str("LAMBDA ");
            out.push_str(&params.join(", "));
            out.push_str(" : ");
            let c = current_col(out, col);
            write(body, c, out);
        }
        T::ForallMany {
            binds,
            body,
            break_line,
        } => {
            let here = current_col(out, col);
            out.push_str("\\A ");
            for (i, (x, s)) in binds.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                out.push_str(x);
                out.push_str(" \\in ");
                write_sub(s, 9, col, out);
            }
            out.push_str(" :");
            if *break_line {
                out.push('\n');
                out.push_str(&" ".repeat(here + 4));
            } else {
                out.push(' ');
            }
            let c = current_col(out, col);
            write(body, c, out);
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

    #[test]
    fn a_membership_in_a_set_enumeration_is_parenthesized() {
        // `{a, j \in S}` and `{<<t, 0>> \in S}` would start a filter for SANY.
        let member = |x: T| T::infix("\\in", x, T::name("S"));
        let e = T::SetEnum(vec![T::name("a"), member(T::name("j"))]);
        assert_eq!(print(&e, 0), "{a, (j \\in S)}");
        let tuple = T::Tuple(vec![T::name("t"), T::Num(0)]);
        assert_eq!(
            print(&T::SetEnum(vec![member(tuple)]), 0),
            "{(<<t, 0>> \\in S)}"
        );
        assert_eq!(
            print(&T::SetEnum(vec![T::name("a"), T::name("b")]), 0),
            "{a, b}"
        );
    }

    #[test]
    fn operators_whose_precedence_ranges_meet_are_parenthesized() {
        let x = || T::name("x");
        let p = |e: T| print(&e, 0);
        assert_eq!(p(T::infix("*", x(), T::Num(-1))), "x * (-1)");
        assert_eq!(p(T::infix("*", x(), T::Neg(Box::new(x())))), "x * (-x)");
        assert_eq!(
            p(T::infix(
                "\\div",
                T::infix("\\div", T::Num(1), T::Num(1)),
                T::Num(2)
            )),
            "(1 \\div 1) \\div 2"
        );
        assert_eq!(
            p(T::infix("+", x(), T::infix("%", x(), T::Num(2)))),
            "x + (x % 2)"
        );
        assert_eq!(
            p(T::infix("-", T::infix("%", x(), T::Num(2)), x())),
            "(x % 2) - x"
        );
        assert_eq!(
            p(T::infix("-", T::infix("-", x(), T::Num(1)), x())),
            "x - 1 - x"
        );
        assert_eq!(
            p(T::infix("-", x(), T::infix("-", x(), T::Num(1)))),
            "x - (x - 1)"
        );
        assert_eq!(
            p(T::infix("\\", T::infix("\\cup", x(), x()), x())),
            "(x \\cup x) \\ x"
        );
        let range = |a: i128, b: i128| T::infix("..", T::Num(a), T::Num(b));
        assert_eq!(
            p(T::infix("\\X", range(0, 1), range(0, 2))),
            "(0 .. 1) \\X (0 .. 2)"
        );
        assert_eq!(
            p(T::infix("\\X", T::infix("\\X", x(), x()), x())),
            "x \\X x \\X x"
        );
        let imp = T::Implies(
            Box::new(x()),
            Box::new(T::Implies(Box::new(x()), Box::new(x()))),
        );
        assert_eq!(p(imp), "x => (x => x)");
    }
}
