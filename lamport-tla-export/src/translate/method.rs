//! Method calls: each is the entry of the operations table (`lamport_ir::ops`) for its
//! receiver's type, translated by the entry's own TLA+ builder.

use lamport_ir::ops::{self, Support, Tla, TlaCx};
use lamport_ir::tla::T;
use lamport_ir::{Expr, ExprKind};

use super::{fail, Cx, Scope, R};

/// What a table entry's builder may ask of the translation.
pub(crate) struct Builder<'c, 'a> {
    pub cx: &'c Cx<'a>,
    pub sc: &'c Scope,
}

impl TlaCx for Builder<'_, '_> {
    fn fresh(&mut self, want: &str) -> String {
        self.cx.fresh(want, self.sc)
    }

    fn support(&mut self, s: Support) -> String {
        self.cx.use_support(s)
    }
}

impl Cx<'_> {
    /// The table entry for a method call, or an error naming it.
    pub(crate) fn entry(&self, e: &Expr) -> R<&'static ops::Method> {
        let ExprKind::MethodCall {
            receiver, method, ..
        } = &e.kind
        else {
            return fail(e.id, "not a method call");
        };
        let Some(rt) = &receiver.ty else {
            return fail(
                e.id,
                format!("cannot tell the type of the receiver of `.{method}()`"),
            );
        };
        ops::lookup(rt, method).ok_or_else(|| {
            super::ExportError::new(
                e.id,
                format!("`.{method}()` on {} has no translation", rt.display()),
            )
        })
    }

    pub(crate) fn method(&self, e: &Expr, sc: &Scope) -> R<T> {
        let ExprKind::MethodCall { receiver, args, .. } = &e.kind else {
            return fail(e.id, "not a method call");
        };
        if let Some(t) = self.option_of_extreme(e, sc)? {
            return Ok(t);
        }
        let m = self.entry(e)?;
        if let Some(module) = m.module {
            if !matches!(m.tla, Tla::Stream(_)) {
                self.uses(module);
            }
        }
        match m.tla {
            Tla::Identity => self.expr(receiver, sc),
            Tla::Stream(_) => self.stream_value(e, sc),
            Tla::Build(build) => {
                if m.mutates {
                    return fail(
                        e.id,
                        format!(
                            "`.{}()` changes its receiver: it is a statement of an action",
                            m.name
                        ),
                    );
                }
                let r = self.expr(receiver, sc)?;
                let a = args
                    .iter()
                    .map(|x| self.expr(x, sc))
                    .collect::<R<Vec<_>>>()?;
                // The form's own binders must not meet those inside its operands.
                let mut inner = sc.clone();
                inner.avoid(&[&r]);
                inner.avoid(&a.iter().collect::<Vec<_>>());
                if super::pattern::is_simple(&r) {
                    return Ok(build(
                        &mut Builder {
                            cx: self,
                            sc: &inner,
                        },
                        r,
                        a,
                    ));
                }
                // A compound receiver the form repeats is named once: the form is built over a
                // name, which is then bound to the receiver or replaced by it.
                let n = self.bind_fresh(&receiver_name(receiver), &mut inner);
                let t = build(
                    &mut Builder {
                        cx: self,
                        sc: &inner,
                    },
                    T::name(&n),
                    a,
                );
                if t.occurrences(&T::name(&n)) < 2 {
                    return Ok(t.replace(&T::name(&n), &r));
                }
                Ok(T::Let(vec![(n, r)], Box::new(t)))
            }
        }
    }

    /// The new value of a place changed by a mutating method (`s.q.push(x)`): the table entry's
    /// builder applied to the place's current value.
    pub(crate) fn mutation(&self, e: &Expr, current: T, sc: &Scope) -> R<T> {
        let ExprKind::MethodCall { args, .. } = &e.kind else {
            return fail(e.id, "not a method call");
        };
        let m = self.entry(e)?;
        let Tla::Build(build) = m.tla else {
            return fail(
                e.id,
                format!("`.{}()` does not change its receiver", m.name),
            );
        };
        if let Some(module) = m.module {
            self.uses(module);
        }
        let a = args
            .iter()
            .map(|x| self.expr(x, sc))
            .collect::<R<Vec<_>>>()?;
        let mut inner = sc.clone();
        inner.avoid(&[&current]);
        inner.avoid(&a.iter().collect::<Vec<_>>());
        Ok(build(
            &mut Builder {
                cx: self,
                sc: &inner,
            },
            current,
            a,
        ))
    }
}

/// A readable `LET` name for a receiver: its last field or variable name.
fn receiver_name(e: &Expr) -> String {
    match &e.kind {
        ExprKind::Var { field, .. } | ExprKind::Const(field) | ExprKind::Field(_, field) => {
            field.clone()
        }
        ExprKind::Local(n) => n.clone(),
        ExprKind::MethodCall { method, .. } => method.clone(),
        _ => "v".into(),
    }
}
