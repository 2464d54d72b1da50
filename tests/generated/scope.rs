//! What an expression of a generated model may refer to: the state, the constants, parameters,
//! locals and closure variables, each read the way Rust needs (copied, cloned or dereferenced).

use std::collections::BTreeSet;

use super::types::{Decls, Ty};

/// How a name in scope is reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// A state field: `s.name`.
    State,
    /// A constant: `c.name`.
    Const,
    /// A parameter, a local, or a closure variable of `all`/`any`/`map`: `name`.
    Owned,
    /// A closure variable of `filter` (a reference): `*name`.
    Ref,
}

/// One name in scope.
#[derive(Clone, Debug)]
pub struct Bind {
    pub name: String,
    pub ty: Ty,
    pub access: Access,
    /// Whether the exporter can tell this name's type (a declared one, or a closure variable
    /// over a typed collection); a `let` local's type is inferred from its initializer.
    pub known: bool,
}

impl Bind {
    /// The place itself, as a method receiver (`s.q`, `c.nodes`, `x`).
    pub fn place(&self) -> String {
        match self.access {
            Access::State => format!("s.{}", self.name),
            Access::Const => format!("c.{}", self.name),
            Access::Owned | Access::Ref => self.name.clone(),
        }
    }

    /// The value, owned: copied, cloned, or dereferenced.
    pub fn read(&self, decls: &Decls) -> String {
        let copy = decls.copy(&self.ty);
        match (self.access, copy) {
            (Access::Ref, true) => format!("(*{})", self.name),
            (_, true) => self.place(),
            (_, false) => format!("{}.clone()", self.place()),
        }
    }
}

/// Where an expression is generated.
#[derive(Clone, Debug)]
pub struct Scope {
    pub binds: Vec<Bind>,
    /// `s` is in scope (as `&State` or `&mut State`).
    pub state: bool,
    /// Helpers that may be called here (indices into the model's helpers).
    pub callable: Vec<usize>,
    /// Names of functions shadowed here by a parameter or local of the same name.
    pub shadowed: BTreeSet<String>,
    /// Inside the closure of an iterator form (or a `Map` collected by one).
    pub in_closure: bool,
}

impl Scope {
    pub fn new(state: bool) -> Scope {
        Scope {
            binds: Vec::new(),
            state,
            callable: Vec::new(),
            shadowed: BTreeSet::new(),
            in_closure: false,
        }
    }

    /// The scope extended with one more name (hiding any earlier bind of that name).
    pub fn with(&self, name: &str, ty: Ty, access: Access) -> Scope {
        let mut s = self.clone();
        s.add(name, ty, access);
        s
    }

    pub fn add(&mut self, name: &str, ty: Ty, access: Access) {
        self.add_bind(name, ty, access, true);
    }

    /// Adds a local whose type the exporter infers from its initializer (so may not know).
    pub fn add_local(&mut self, name: &str, ty: Ty) {
        self.add_bind(name, ty, Access::Owned, false);
    }

    fn add_bind(&mut self, name: &str, ty: Ty, access: Access, known: bool) {
        if access == Access::Owned || access == Access::Ref {
            self.binds
                .retain(|b| !(b.name == name && matches!(b.access, Access::Owned | Access::Ref)));
            self.shadowed.insert(name.to_string());
        }
        self.binds.push(Bind {
            name: name.to_string(),
            ty,
            access,
            known,
        });
    }

    /// The names in scope of type `ty`.
    pub fn of_type(&self, ty: &Ty) -> Vec<&Bind> {
        self.binds.iter().filter(|b| &b.ty == ty).collect()
    }

    /// The names of type `ty` whose type the exporter knows.
    pub fn known_of_type(&self, ty: &Ty) -> Vec<&Bind> {
        self.binds
            .iter()
            .filter(|b| &b.ty == ty && b.known)
            .collect()
    }
}
