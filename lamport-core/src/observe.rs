//! Observations: what an implementation or a recorded trace shows of a model's state, and their
//! comparison with model states.
//!
//! An observation lists values of some of the model's variables (`alive`), or of single entries
//! of map-valued variables (`hist[3]`); what it does not list is unobserved. Values are compared
//! in ITF JSON, leniently on the observed side so that a hand-written or logged trace may write
//! plain JSON: a number for an integer, an array for a set or a tuple, an object keyed by the
//! keys' renderings for a map (see docs/testing-implementations.md).

use std::fmt::Write as _;

use serde_json::Value as Json;

use crate::model::{Model, ModelMeta, VarValue};
use crate::value::Value;

/// Which entry of a map-valued variable an observation is about.
#[derive(Clone, Debug, PartialEq)]
pub enum Key {
    /// A key given as a value (its ITF JSON form), e.g. by a driver's [`Observation::entry`].
    Value(Json),
    /// A key as written between brackets in a trace: `hist[3]`, `rm_state[r1]`.
    Text(String),
}

/// One observed value: a variable, or one entry of a map-valued variable.
#[derive(Clone, Debug, PartialEq)]
pub struct Observed {
    /// The variable's Rust or TLA+ name.
    pub var: String,
    pub key: Option<Key>,
    /// The value, in ITF JSON or the plain JSON a trace may use.
    pub value: Json,
}

impl Observed {
    /// `hist[3]`, `alive`: how reports name what was observed.
    pub fn path(&self) -> String {
        match &self.key {
            None => self.var.clone(),
            Some(Key::Text(t)) => format!("{}[{}]", self.var, t),
            Some(Key::Value(v)) => format!("{}[{}]", self.var, itf_text(v)),
        }
    }
}

/// What can be seen of one state: some variables, or some entries of map-valued variables.
/// Everything not listed is unobserved and matches any value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Observation {
    entries: Vec<Observed>,
}

impl Observation {
    /// Nothing observed.
    pub fn new() -> Self {
        Observation::default()
    }

    /// Every variable of the model state `s`: a complete abstraction.
    pub fn of_state<M: Model>(model: &M, s: &M::State) -> Self {
        let mut o = Observation::new();
        for v in model.render(s) {
            o.entries.push(Observed {
                var: v.name.to_string(),
                key: None,
                value: v.itf,
            });
        }
        o
    }

    /// Observes variable `name` (Rust or TLA+ name) to have `value`.
    pub fn var<T: Value>(mut self, name: &str, value: &T) -> Self {
        self.push(name, None, value.to_itf());
        self
    }

    /// Observes entry `key` of the map-valued variable `name` to have `value`.
    pub fn entry<K: Value, V: Value>(mut self, name: &str, key: &K, value: &V) -> Self {
        self.push(name, Some(Key::Value(key.to_itf())), value.to_itf());
        self
    }

    /// Adds one observed value in JSON (ITF or plain), replacing an earlier one of the same
    /// variable and key.
    pub fn push(&mut self, var: &str, key: Option<Key>, value: Json) {
        self.entries
            .retain(|o| !(o.var == var && same_key(&o.key, &key)));
        self.entries.push(Observed {
            var: var.to_string(),
            key,
            value,
        });
    }

    /// The observed values, in the order they were added.
    pub fn entries(&self) -> &[Observed] {
        &self.entries
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// `{"alive": ..., "hist[3]": ...}`: the observation as one JSON object.
    pub fn to_json(&self) -> Json {
        let mut m = serde_json::Map::new();
        for o in &self.entries {
            m.insert(o.path(), o.value.clone());
        }
        Json::Object(m)
    }

    /// Checks that every observed variable is one of the model's; `Err` names the first that
    /// is not, and lists the model's variables.
    pub fn check_names(&self, meta: &ModelMeta) -> Result<(), String> {
        for o in &self.entries {
            if var_index(meta, &o.var).is_none() {
                return Err(unknown_variable(meta, &o.var));
            }
        }
        Ok(())
    }

    /// How `vars` (a model state, rendered) differs from this observation: one entry per
    /// observed value that does not match. `Err` for an observation that cannot apply to this
    /// model at all (an unknown variable; a key on a variable that is not a map).
    pub fn differences(
        &self,
        meta: &ModelMeta,
        vars: &[VarValue],
    ) -> Result<Vec<Difference>, String> {
        let mut out = Vec::new();
        for o in &self.entries {
            let i = var_index(meta, &o.var).ok_or_else(|| unknown_variable(meta, &o.var))?;
            let model = &vars[i].itf;
            let expected = match &o.key {
                None => Some(model),
                Some(key) => map_entry(model, key)
                    .map_err(|why| format!("{} cannot be observed: {} {why}", o.path(), o.var))?,
            };
            match expected {
                Some(m) if itf_matches(m, &o.value) => {}
                Some(m) => out.push(Difference {
                    path: o.path(),
                    model: itf_text(m),
                    observed: itf_text_as(&o.value, m),
                }),
                None => out.push(Difference {
                    path: o.path(),
                    model: "(no such key in the map's domain)".to_string(),
                    observed: itf_text(&o.value),
                }),
            }
        }
        Ok(out)
    }
}

fn same_key(a: &Option<Key>, b: &Option<Key>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(Key::Value(x)), Some(Key::Value(y))) => x == y,
        (Some(Key::Text(x)), Some(Key::Text(y))) => squash(x) == squash(y),
        _ => false,
    }
}

/// One observed value that the model state does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Difference {
    /// What was observed: `alive`, `hist[3]`.
    pub path: String,
    /// The model's value, rendered.
    pub model: String,
    /// The observed value, rendered.
    pub observed: String,
}

impl std::fmt::Display for Difference {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}: model {}, observed {}",
            self.path, self.model, self.observed
        )
    }
}

/// The position of variable `name` (Rust or TLA+ name) among the model's variables.
pub fn var_index(meta: &ModelMeta, name: &str) -> Option<usize> {
    meta.variables
        .iter()
        .position(|v| v.rust == name || v.tla == name)
}

fn unknown_variable(meta: &ModelMeta, name: &str) -> String {
    let names: Vec<&str> = meta.variables.iter().map(|v| v.rust).collect();
    format!(
        "model {} has no variable `{name}`; its variables are {}",
        meta.name,
        names.join(", ")
    )
}

/// Splits `hist[3]` into `("hist", Some("3"))` and `alive` into `("alive", None)`.
pub fn parse_path(path: &str) -> Result<(String, Option<String>), String> {
    let path = path.trim();
    let (var, key) = match path.find('[') {
        None => (path, None),
        Some(open) => {
            if !path.ends_with(']') || open + 1 >= path.len() {
                return Err(format!(
                    "`{path}`: write a variable (`alive`) or one entry of a map (`hist[3]`)"
                ));
            }
            (&path[..open], Some(path[open + 1..path.len() - 1].trim()))
        }
    };
    let ident = !var.is_empty()
        && var.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && !var.starts_with(|c: char| c.is_ascii_digit());
    if !ident {
        return Err(format!(
            "`{path}`: write a variable (`alive`) or one entry of a map (`hist[3]`)"
        ));
    }
    if key == Some("") {
        return Err(format!("`{path}`: the key between the brackets is empty"));
    }
    Ok((var.to_string(), key.map(str::to_string)))
}

/// The value at `key` of a map in ITF form; `Ok(None)` when the key is not in its domain.
fn map_entry<'a>(map: &'a Json, key: &Key) -> Result<Option<&'a Json>, &'static str> {
    let pairs = map
        .get("#map")
        .and_then(Json::as_array)
        .ok_or("is not a map: observe it whole")?;
    for pair in pairs {
        if let Some([k, v]) = pair.as_array().map(Vec::as_slice) {
            let hit = match key {
                Key::Value(j) => itf_matches(k, j),
                Key::Text(t) => key_text_matches(k, t),
            };
            if hit {
                return Ok(Some(v));
            }
        }
    }
    Ok(None)
}

fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// Whether the text `t` (from `var[t]`) names the model key `k`: its rendering, with string
/// values quoted or not.
fn key_text_matches(k: &Json, t: &str) -> bool {
    let t = squash(t);
    if squash(&itf_text(k)) == t {
        return true;
    }
    matches!(k, Json::String(s) if format!("\"{}\"", squash(s)) == t)
}

/// Whether the observed JSON `o` denotes the model value whose ITF form is `m`. `o` may be ITF
/// itself, or plain JSON: a number for `#bigint`, an array for `#set` (any order) or `#tup`, an
/// object keyed by the keys' renderings for `#map`.
pub fn itf_matches(m: &Json, o: &Json) -> bool {
    match m {
        Json::Bool(_) | Json::String(_) | Json::Null => m == o,
        Json::Number(_) => m == o,
        Json::Array(ms) => match o {
            Json::Array(os) => {
                ms.len() == os.len() && ms.iter().zip(os).all(|(a, b)| itf_matches(a, b))
            }
            _ => false,
        },
        Json::Object(mo) => {
            if let Some(Json::String(digits)) = mo.get("#bigint") {
                return match o {
                    Json::Number(n) => n.to_string() == *digits,
                    Json::Object(oo) => oo.get("#bigint") == Some(&Json::String(digits.clone())),
                    _ => false,
                };
            }
            if let Some(Json::Array(ms)) = mo.get("#set") {
                let os = match o {
                    Json::Array(os) => os,
                    Json::Object(oo) => match oo.get("#set") {
                        Some(Json::Array(os)) => os,
                        _ => return false,
                    },
                    _ => return false,
                };
                return same_elements(ms, os);
            }
            if let Some(Json::Array(ms)) = mo.get("#tup") {
                let os = match o {
                    Json::Array(os) => os,
                    Json::Object(oo) => match oo.get("#tup") {
                        Some(Json::Array(os)) => os,
                        _ => return false,
                    },
                    _ => return false,
                };
                return ms.len() == os.len() && ms.iter().zip(os).all(|(a, b)| itf_matches(a, b));
            }
            if let Some(Json::Array(pairs)) = mo.get("#map") {
                return match o {
                    Json::Object(oo) if oo.contains_key("#map") => match oo.get("#map") {
                        Some(Json::Array(ops)) => same_elements(pairs, ops),
                        _ => false,
                    },
                    // An empty map renders as `<<>>`; written plainly it is `{}` or `[]`.
                    Json::Array(os) => pairs.is_empty() && os.is_empty(),
                    Json::Object(oo) => {
                        pairs.len() == oo.len()
                            && pairs
                                .iter()
                                .all(|pair| match pair.as_array().map(Vec::as_slice) {
                                    Some([k, v]) => oo
                                        .iter()
                                        .find(|(t, _)| key_text_matches(k, t))
                                        .is_some_and(|(_, ov)| itf_matches(v, ov)),
                                    _ => false,
                                })
                    }
                    _ => false,
                };
            }
            // A record: the same fields, each matching.
            match o {
                Json::Object(oo) => {
                    mo.len() == oo.len()
                        && mo
                            .iter()
                            .all(|(k, v)| oo.get(k).is_some_and(|ov| itf_matches(v, ov)))
                }
                _ => false,
            }
        }
    }
}

/// Whether two lists hold the same elements, in any order (the model's have no duplicates).
fn same_elements(ms: &[Json], os: &[Json]) -> bool {
    if ms.len() != os.len() {
        return false;
    }
    let mut used = vec![false; ms.len()];
    for o in os {
        match (0..ms.len()).find(|&i| !used[i] && itf_matches(&ms[i], o)) {
            Some(i) => used[i] = true,
            None => return false,
        }
    }
    true
}

/// Renders ITF (or plain) JSON in TLA+ notation, for reports: `{1, 2}`, `<<1, 2>>`,
/// `(1 :> <<>> @@ 2 :> <<3>>)`, `[a |-> 1]`. Strings print as they are.
pub fn itf_text(v: &Json) -> String {
    let mut out = String::new();
    write_itf(v, &mut out);
    out
}

/// Renders observed JSON `v` as [`itf_text`] does, in the shape of the model value `like`
/// (ITF) where plain JSON leaves it open: an array observed for a set prints as a set, an
/// object observed for a map as a map.
pub fn itf_text_as(v: &Json, like: &Json) -> String {
    let tag = |t: &str| like.get(t).and_then(Json::as_array);
    match v {
        Json::Array(xs) => {
            if let Some(ms) = tag("#set") {
                let parts: Vec<String> = xs
                    .iter()
                    .map(|x| match ms.first() {
                        Some(m) => itf_text_as(x, m),
                        None => itf_text(x),
                    })
                    .collect();
                return format!("{{{}}}", parts.join(", "));
            }
            let inner: Vec<&Json> = match (tag("#tup"), like) {
                (Some(ms), _) => ms.iter().collect(),
                (None, Json::Array(ms)) => ms.iter().collect(),
                _ => Vec::new(),
            };
            let parts: Vec<String> = xs
                .iter()
                .enumerate()
                .map(|(i, x)| match inner.get(i).or(inner.first()) {
                    Some(m) => itf_text_as(x, m),
                    None => itf_text(x),
                })
                .collect();
            format!("<<{}>>", parts.join(", "))
        }
        Json::Object(o) if tag("#map").is_some() && !o.keys().any(|k| k.starts_with('#')) => {
            if o.is_empty() {
                return "<<>>".to_string();
            }
            let value_like = tag("#map").and_then(|ps| ps.first()).and_then(|p| p.get(1));
            let parts: Vec<String> = o
                .iter()
                .map(|(k, x)| {
                    let x = match value_like {
                        Some(m) => itf_text_as(x, m),
                        None => itf_text(x),
                    };
                    format!("{k} :> {x}")
                })
                .collect();
            format!("({})", parts.join(" @@ "))
        }
        _ => itf_text(v),
    }
}

fn write_list(items: &[Json], open: &str, close: &str, out: &mut String) {
    out.push_str(open);
    for (i, x) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        write_itf(x, out);
    }
    out.push_str(close);
}

fn write_itf(v: &Json, out: &mut String) {
    match v {
        Json::Null => out.push_str("null"),
        Json::Bool(b) => out.push_str(if *b { "TRUE" } else { "FALSE" }),
        Json::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Json::String(s) => out.push_str(s),
        Json::Array(xs) => write_list(xs, "<<", ">>", out),
        Json::Object(o) => {
            if let Some(Json::String(d)) = o.get("#bigint") {
                out.push_str(d);
            } else if let Some(Json::Array(xs)) = o.get("#set") {
                write_list(xs, "{", "}", out);
            } else if let Some(Json::Array(xs)) = o.get("#tup") {
                write_list(xs, "<<", ">>", out);
            } else if let Some(Json::Array(pairs)) = o.get("#map") {
                if pairs.is_empty() {
                    out.push_str("<<>>");
                    return;
                }
                out.push('(');
                for (i, p) in pairs.iter().enumerate() {
                    if i > 0 {
                        out.push_str(" @@ ");
                    }
                    if let Some([k, x]) = p.as_array().map(Vec::as_slice) {
                        write_itf(k, out);
                        out.push_str(" :> ");
                        write_itf(x, out);
                    }
                }
                out.push(')');
            } else {
                out.push('[');
                for (i, (k, x)) in o.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "{k} |-> ");
                    write_itf(x, out);
                }
                out.push(']');
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Map, Seq, Set};
    use serde_json::json;

    #[test]
    fn plain_json_matches_itf() {
        let set: Set<i64> = [1, 3].into_iter().collect();
        assert!(itf_matches(&set.to_itf(), &json!([3, 1])));
        assert!(itf_matches(&set.to_itf(), &set.to_itf()));
        assert!(!itf_matches(&set.to_itf(), &json!([1])));
        let seq: Seq<usize> = [2, 1].into_iter().collect();
        assert!(itf_matches(&seq.to_itf(), &json!([2, 1])));
        assert!(!itf_matches(&seq.to_itf(), &json!([1, 2])));
        let map: Map<i64, Seq<usize>> = [(1, Seq::new()), (2, Seq::from([5usize]))]
            .into_iter()
            .collect();
        assert!(itf_matches(&map.to_itf(), &json!({"1": [], "2": [5]})));
        assert!(!itf_matches(&map.to_itf(), &json!({"1": [], "2": [6]})));
        assert!(itf_matches(&7i64.to_itf(), &json!(7)));
        assert!(!itf_matches(&7i64.to_itf(), &json!("7")));
        assert_eq!(itf_text(&map.to_itf()), "(1 :> <<>> @@ 2 :> <<5>>)");
        assert_eq!(itf_text_as(&json!([3, 1]), &set.to_itf()), "{3, 1}");
        assert_eq!(
            itf_text_as(&json!({"1": [], "2": [6]}), &map.to_itf()),
            "(1 :> <<>> @@ 2 :> <<6>>)"
        );
    }

    #[test]
    fn paths() {
        assert_eq!(parse_path("alive").unwrap(), ("alive".into(), None));
        assert_eq!(
            parse_path("hist[ 3 ]").unwrap(),
            ("hist".into(), Some("3".into()))
        );
        assert!(parse_path("hist[").is_err());
        assert!(parse_path("hist[]").is_err());
        assert!(parse_path("a b").is_err());
        let k = Json::String("r1".into());
        assert!(key_text_matches(&k, "r1"));
        assert!(key_text_matches(&k, "\"r1\""));
        assert!(key_text_matches(
            &json!({"#tup": [{"#bigint": "1"}, "r2"]}),
            "<<1, r2>>"
        ));
    }
}
