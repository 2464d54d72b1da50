//! Capture-free bound names in a finished TLA+ definition.
//!
//! TLA+ forbids binding a name again inside the scope where it is already bound (SANY:
//! "Multiply-defined symbol"), even where the inner binding would shadow the outer one
//! harmlessly. The translation chooses each bound name fresh in its own scope, but a term built
//! in one scope is sometimes placed inside another binder (a default of `min` inside another
//! `min`'s `LET`, a `sum()` inside a collected map's `[x \in S |-> ..]`). [`hygienic`] is the
//! last pass over every definition: a binder whose name is already bound around it (or is a
//! parameter of the definition) is renamed, with its occurrences, to a name free there.

use std::collections::BTreeSet;

use crate::tla::{map_children, T};

/// `t` with every binder that clashes with an enclosing binder or with `params` renamed to
/// `name_1`, `name_2`, ... (the first that is not `taken` at module level, not bound around it
/// and not mentioned in `t`).
pub fn hygienic(t: T, params: &[String], taken: &dyn Fn(&str) -> bool) -> T {
    let mut mentioned = BTreeSet::new();
    t.visit(&mut |x| {
        if let T::Name(n) = x {
            mentioned.insert(n.clone());
        }
    });
    mentioned.extend(t.binders());
    let mut h = Hygiene {
        scope: params.to_vec(),
        mentioned,
        taken,
    };
    h.go(t)
}

struct Hygiene<'a> {
    /// Names bound around the current point, innermost last.
    scope: Vec<String>,
    /// Every name the definition mentions or binds (and the new ones given so far).
    mentioned: BTreeSet<String>,
    taken: &'a dyn Fn(&str) -> bool,
}

impl Hygiene<'_> {
    /// The name `x` takes as a binder here, and whether it changed.
    fn name_for(&mut self, x: &str) -> String {
        if !self.scope.iter().any(|s| s == x) {
            return x.to_string();
        }
        let fresh = (1..)
            .map(|i| format!("{x}_{i}"))
            .find(|c| !self.mentioned.contains(c) && !(self.taken)(c))
            .expect("some name is free");
        self.mentioned.insert(fresh.clone());
        fresh
    }

    /// Binds `x` over `body` (renamed where it clashes) and treats the body.
    fn bind(&mut self, x: String, body: T) -> (String, T) {
        let (x, body) = self.bind_many(vec![x], body);
        (x.into_iter().next().expect("one name"), body)
    }

    fn bind_many(&mut self, xs: Vec<String>, body: T) -> (Vec<String>, T) {
        let mut body = body;
        let mut names = Vec::new();
        for x in xs {
            let n = self.name_for(&x);
            if n != x {
                body = subst(body, &x, &n);
            }
            names.push(n);
        }
        let depth = self.scope.len();
        self.scope.extend(names.iter().cloned());
        let body = self.go(body);
        self.scope.truncate(depth);
        (names, body)
    }

    fn go(&mut self, t: T) -> T {
        let b = |h: &mut Self, x: Box<T>| Box::new(h.go(*x));
        match t {
            T::Forall(x, s, body) => {
                let s = b(self, s);
                let (x, body) = self.bind(x, *body);
                T::Forall(x, s, Box::new(body))
            }
            T::Exists(x, s, body) => {
                let s = b(self, s);
                let (x, body) = self.bind(x, *body);
                T::Exists(x, s, Box::new(body))
            }
            T::Choose(x, s, body) => {
                let s = b(self, s);
                let (x, body) = self.bind(x, *body);
                T::Choose(x, s, Box::new(body))
            }
            T::SetFilter(x, s, body) => {
                let s = b(self, s);
                let (x, body) = self.bind(x, *body);
                T::SetFilter(x, s, Box::new(body))
            }
            T::FnCons(x, s, body) => {
                let s = b(self, s);
                let (x, body) = self.bind(x, *body);
                T::FnCons(x, s, Box::new(body))
            }
            T::SetMap(v, x, s) => {
                let s = b(self, s);
                let (x, v) = self.bind(x, *v);
                T::SetMap(Box::new(v), x, s)
            }
            T::ForallMany {
                binds,
                body,
                break_line,
            } => {
                let (names, sets): (Vec<String>, Vec<T>) = binds.into_iter().unzip();
                let sets: Vec<T> = sets.into_iter().map(|s| self.go(s)).collect();
                let (names, body) = self.bind_many(names, *body);
                T::ForallMany {
                    binds: names.into_iter().zip(sets).collect(),
                    body: Box::new(body),
                    break_line,
                }
            }
            T::Lambda(xs, body) => {
                let (xs, body) = self.bind_many(xs, *body);
                T::Lambda(xs, Box::new(body))
            }
            T::Let(defs, body) => {
                // Each definition is in scope in the later ones and in the body.
                let depth = self.scope.len();
                let mut rest: Vec<(String, T)> = defs;
                let mut body = *body;
                let mut out = Vec::new();
                while !rest.is_empty() {
                    let (n, v) = rest.remove(0);
                    let v = self.go(v);
                    let m = self.name_for(&n);
                    if m != n {
                        rest = rest
                            .into_iter()
                            .map(|(k, e)| (k, subst(e, &n, &m)))
                            .collect();
                        body = subst(body, &n, &m);
                    }
                    self.scope.push(m.clone());
                    out.push((m, v));
                }
                let body = self.go(body);
                self.scope.truncate(depth);
                T::Let(out, Box::new(body))
            }
            other => map_children(other, &mut |x| self.go(x)),
        }
    }
}

/// `t` with the free occurrences of the bound name `old` renamed `new` (stopping where `old`
/// is bound again).
fn subst(t: T, old: &str, new: &str) -> T {
    let binds_old = |x: &str| x == old;
    match t {
        T::Name(n) if n == old => T::Name(new.to_string()),
        T::Forall(x, s, b) if binds_old(&x) => T::Forall(x, Box::new(subst(*s, old, new)), b),
        T::Exists(x, s, b) if binds_old(&x) => T::Exists(x, Box::new(subst(*s, old, new)), b),
        T::Choose(x, s, b) if binds_old(&x) => T::Choose(x, Box::new(subst(*s, old, new)), b),
        T::SetFilter(x, s, b) if binds_old(&x) => T::SetFilter(x, Box::new(subst(*s, old, new)), b),
        T::FnCons(x, s, b) if binds_old(&x) => T::FnCons(x, Box::new(subst(*s, old, new)), b),
        T::SetMap(v, x, s) if binds_old(&x) => T::SetMap(v, x, Box::new(subst(*s, old, new))),
        T::Lambda(xs, b) if xs.iter().any(|x| x == old) => T::Lambda(xs, b),
        T::ForallMany {
            binds,
            body,
            break_line,
        } if binds.iter().any(|(x, _)| x == old) => T::ForallMany {
            binds: binds
                .into_iter()
                .map(|(x, s)| (x, subst(s, old, new)))
                .collect(),
            body,
            break_line,
        },
        T::Let(defs, body) => {
            let mut out = Vec::new();
            let mut shadowed = false;
            for (n, v) in defs {
                let v = if shadowed { v } else { subst(v, old, new) };
                shadowed |= n == old;
                out.push((n, v));
            }
            let body = if shadowed {
                body
            } else {
                Box::new(subst(*body, old, new))
            };
            T::Let(out, body)
        }
        other => map_children(other, &mut |x| subst(x, old, new)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn x(n: &str) -> T {
        T::name(n)
    }

    #[test]
    fn a_binder_bound_again_inside_is_renamed_with_its_occurrences() {
        // [x \in S |-> Sum([x \in {2} |-> x])] + x-free parts
        let inner = T::FnCons("x".into(), Box::new(x("S")), Box::new(x("x")));
        let outer = T::FnCons(
            "x".into(),
            Box::new(x("Q")),
            Box::new(T::infix("+", x("x"), T::apply("Sum", vec![inner]))),
        );
        let h = hygienic(outer, &[], &|_| false);
        let expected = T::FnCons(
            "x".into(),
            Box::new(x("Q")),
            Box::new(T::infix(
                "+",
                x("x"),
                T::apply(
                    "Sum",
                    vec![T::FnCons(
                        "x_1".into(),
                        Box::new(x("S")),
                        Box::new(x("x_1")),
                    )],
                ),
            )),
        );
        assert_eq!(h, expected);
    }

    #[test]
    fn nested_lets_of_one_name_and_parameters_are_renamed() {
        // Op(s) == LET s == 1 IN LET s == s + 1 IN s
        let t = T::Let(
            vec![("s".into(), T::Num(1))],
            Box::new(T::Let(
                vec![("s".into(), T::infix("+", x("s"), T::Num(1)))],
                Box::new(x("s")),
            )),
        );
        let h = hygienic(t, &["s".into()], &|n| n == "s_2");
        let expected = T::Let(
            vec![("s_1".into(), T::Num(1))],
            Box::new(T::Let(
                vec![("s_3".into(), T::infix("+", x("s_1"), T::Num(1)))],
                Box::new(x("s_3")),
            )),
        );
        assert_eq!(h, expected);
    }

    #[test]
    fn names_free_of_clashes_are_kept() {
        let t = T::Forall(
            "a".into(),
            Box::new(x("S")),
            Box::new(T::Exists("b".into(), Box::new(x("a")), Box::new(x("b")))),
        );
        assert_eq!(hygienic(t.clone(), &["c".into()], &|_| false), t);
    }
}
