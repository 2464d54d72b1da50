//! The names TLA+ reserves, and the one rule by which a model's names become TLA+ names that
//! clash with nothing.
//!
//! A TLA+ module may not define a name twice, nor bind a name (an operator parameter, a bound
//! variable of `\A`, `\E`, `CHOOSE`, a `LET` definition) that is already defined — by the module
//! itself or by a module it extends. So every name an export writes is checked against the
//! reserved words of the language, the operators of every standard module the export may extend,
//! the definitions the export generates (`Init`, `Next`, `TypeOK`, ...), and the model's own
//! names. A clash is never emitted: the later name is renamed deterministically, `Name_1`,
//! `Name_2`, ... (see [`Names::claim`]), and the rename is written in a comment of the export and
//! in the trace mapping (the `tla` names of the IR).

use std::collections::BTreeSet;

/// The reserved words of TLA+ (including those of TLAPS' proof language, which SANY reserves too).
pub const RESERVED_WORDS: &[&str] = &[
    "ACTION",
    "ASSUME",
    "ASSUMPTION",
    "AXIOM",
    "BOOLEAN",
    "BY",
    "CASE",
    "CHOOSE",
    "CONSTANT",
    "CONSTANTS",
    "COROLLARY",
    "DEF",
    "DEFINE",
    "DEFS",
    "DOMAIN",
    "ELSE",
    "ENABLED",
    "EXCEPT",
    "EXTENDS",
    "FALSE",
    "HAVE",
    "HIDE",
    "IF",
    "IN",
    "INSTANCE",
    "LAMBDA",
    "LEMMA",
    "LET",
    "LOCAL",
    "MODULE",
    "NEW",
    "OBVIOUS",
    "OMITTED",
    "ONLY",
    "OTHER",
    "PICK",
    "PROOF",
    "PROPOSITION",
    "PROVE",
    "QED",
    "RECURSIVE",
    "SF_",
    "STATE",
    "STRING",
    "SUBSET",
    "SUFFICES",
    "TAKE",
    "TEMPORAL",
    "THEN",
    "THEOREM",
    "TRUE",
    "UNCHANGED",
    "UNION",
    "USE",
    "VARIABLE",
    "VARIABLES",
    "WF_",
    "WITH",
    "WITNESS",
];

/// The standard modules an export may extend.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StdModule {
    Naturals,
    Integers,
    Sequences,
    FiniteSets,
    Bags,
    Tlc,
}

impl StdModule {
    /// Every standard module, in the order an `EXTENDS` lists them.
    pub const ALL: [StdModule; 6] = [
        StdModule::Naturals,
        StdModule::Integers,
        StdModule::FiniteSets,
        StdModule::Sequences,
        StdModule::Bags,
        StdModule::Tlc,
    ];

    /// The module's name in `EXTENDS`.
    pub fn name(self) -> &'static str {
        match self {
            StdModule::Naturals => "Naturals",
            StdModule::Integers => "Integers",
            StdModule::Sequences => "Sequences",
            StdModule::FiniteSets => "FiniteSets",
            StdModule::Bags => "Bags",
            StdModule::Tlc => "TLC",
        }
    }

    /// The identifiers the module defines (its operators written as words; symbols such as `+`
    /// or `:>` cannot clash with a name).
    pub fn operators(self) -> &'static [&'static str] {
        match self {
            StdModule::Naturals => &["Nat"],
            StdModule::Integers => &["Int"],
            StdModule::Sequences => &[
                "Seq",
                "Len",
                "Append",
                "Head",
                "Tail",
                "SubSeq",
                "SelectSeq",
            ],
            StdModule::FiniteSets => &["IsFiniteSet", "Cardinality"],
            StdModule::Bags => &[
                "IsABag",
                "BagToSet",
                "SetToBag",
                "BagIn",
                "EmptyBag",
                "CopiesIn",
                "SubBag",
                "BagOfAll",
                "BagCardinality",
                "BagUnion",
            ],
            StdModule::Tlc => &[
                "Print",
                "PrintT",
                "Assert",
                "JavaTime",
                "TLCGet",
                "TLCSet",
                "Permutations",
                "SortSeq",
                "RandomElement",
                "Any",
                "ToString",
                "TLCEval",
            ],
        }
    }
}

/// The definitions every export may generate, in the module or its `.cfg`.
pub const GENERATED: &[&str] = &[
    "vars", "TypeOK", "Init", "Next", "Spec", "Fairness", "FairSpec", "Symmetry",
];

/// Whether `name` is reserved by TLA+ or defined by a standard module.
pub fn is_reserved(name: &str) -> bool {
    RESERVED_WORDS.contains(&name) || StdModule::ALL.iter().any(|m| m.operators().contains(&name))
}

/// Why `name` cannot be used as it is, if it cannot.
pub fn reservation(name: &str) -> Option<String> {
    if RESERVED_WORDS.contains(&name) {
        return Some(format!("`{name}` is a reserved word of TLA+"));
    }
    for m in StdModule::ALL {
        if m.operators().contains(&name) {
            return Some(format!(
                "`{name}` is an operator of the standard module {}",
                m.name()
            ));
        }
    }
    if GENERATED.contains(&name) {
        return Some(format!("`{name}` is a definition the export generates"));
    }
    None
}

/// The names taken in one scope of a module: the reserved ones, then every name claimed so far.
#[derive(Clone, Debug, Default)]
pub struct Names {
    taken: BTreeSet<String>,
}

impl Names {
    /// A module-level scope: the reserved words, the standard modules' operators and the
    /// generated definitions are taken.
    pub fn module() -> Names {
        let mut taken: BTreeSet<String> = RESERVED_WORDS.iter().map(|s| s.to_string()).collect();
        for m in StdModule::ALL {
            taken.extend(m.operators().iter().map(|s| s.to_string()));
        }
        taken.extend(GENERATED.iter().map(|s| s.to_string()));
        Names { taken }
    }

    pub fn is_taken(&self, name: &str) -> bool {
        self.taken.contains(name)
    }

    /// Claims `want` if it is free, else the first free `want_1`, `want_2`, ...; returns the name
    /// claimed and, when it differs, why.
    pub fn claim(&mut self, want: &str) -> (String, Option<String>) {
        let want = if want.is_empty() || !want.chars().any(|c| c.is_ascii_alphabetic()) {
            "x"
        } else {
            want
        };
        if self.taken.insert(want.to_string()) {
            return (want.to_string(), None);
        }
        let why = reservation(want).unwrap_or_else(|| format!("`{want}` is already defined"));
        let mut i = 1;
        loop {
            let candidate = format!("{want}_{i}");
            if self.taken.insert(candidate.clone()) {
                return (candidate, Some(why));
            }
            i += 1;
        }
    }

    /// Marks `name` as taken (a name that must keep its spelling).
    pub fn reserve(&mut self, name: &str) {
        self.taken.insert(name.to_string());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clashes_are_renamed_in_order() {
        let mut n = Names::module();
        assert_eq!(n.claim("Votes"), ("Votes".to_string(), None));
        let (tail, why) = n.claim("Tail");
        assert_eq!(tail, "Tail_1");
        assert!(why.unwrap().contains("Sequences"));
        assert_eq!(n.claim("Votes").0, "Votes_1");
        assert_eq!(n.claim("Votes").0, "Votes_2");
        assert_eq!(n.claim("Next").0, "Next_1");
        assert_eq!(n.claim("_").0, "x");
    }

    #[test]
    fn reservations_say_why() {
        assert!(reservation("CASE").unwrap().contains("reserved word"));
        assert!(reservation("Cardinality").unwrap().contains("FiniteSets"));
        assert!(reservation("TypeOK").unwrap().contains("generates"));
        assert!(reservation("Votes").is_none());
        assert!(is_reserved("Len") && !is_reserved("len"));
    }
}
