//! Value types of the modelling language and their one TLA+ rendering.
//!
//! Every type a model's constants or state may hold implements [`Value`]: deterministic order,
//! hashing, and exactly one rendering in TLA+ notation (used alike by traces, error messages and
//! the exported module) and one in ITF JSON (for tools).
//!
//! | Rust                    | TLA+ rendering                       |
//! |-------------------------|--------------------------------------|
//! | `bool`                  | `TRUE`, `FALSE`                      |
//! | integers                | `3`, `-1`                            |
//! | model value `Rm`        | `r1`                                 |
//! | unit enum variant       | `"working"`                          |
//! | enum variant w/ fields  | `[type \|-> "prepared", rm \|-> r1]` |
//! | struct                  | `[bal \|-> 1, val \|-> v1]`          |
//! | tuple                   | `<<1, r2>>`                          |
//! | `Set<T>`                | `{r1, r2}`                           |
//! | `Map<K, V>`             | `(r1 :> 1 @@ r2 :> 2)`, empty `<<>>` |
//! | `Seq<T>`                | `<<a, b>>`                           |
//! | `Option<T>`             | `<<>>` for `None`, `<<x>>` for `Some(x)` |

use std::fmt::{self, Debug};
use std::hash::Hash;
use std::ops::{Index, IndexMut};
use std::sync::Arc;

use crate::pack::Pack;

/// A value a model may hold in its constants or state.
pub trait Value: Clone + Eq + Ord + Hash + Debug + Send + Sync + Pack + 'static {
    /// Appends the TLA+ rendering of `self` to `out`.
    fn write_tla(&self, out: &mut String);

    /// The ITF JSON form of `self` (see the ITF trace format).
    fn to_itf(&self) -> serde_json::Value;

    /// Appends every model value inside `self` as `(type name, rendering)` (used to find each
    /// model-value set's universe from a configuration's constants).
    fn model_values(&self, _out: &mut Vec<(&'static str, String)>) {}

    /// `self` with every model value replaced by its image under `p` (symmetry reduction).
    fn permute(&self, _p: &Permutation) -> Self {
        self.clone()
    }

    /// Whether `p` may change a value of this type (`false`: [`Value::permute`] is the
    /// identity on every value of the type). The default, `true`, is always safe.
    #[doc(hidden)]
    fn moved_by(_p: &Permutation) -> bool {
        true
    }

    /// Appends the packed form of `self.permute(p)`: byte for byte what [`Pack::pack`] appends
    /// for the permuted value. The value types and `#[derive(Value)]` write it without
    /// building the permuted value (symmetry reduction fingerprints every image of every
    /// state); the default builds it.
    #[doc(hidden)]
    fn pack_permuted(&self, p: &Permutation, out: &mut Vec<u8>) {
        if Self::moved_by(p) {
            self.permute(p).pack(out);
        } else {
            self.pack(out);
        }
    }

    /// Appends the packed form of the set of the images under `p` of `items` (sorted and
    /// distinct), as [`Pack::pack_set`] packs that set.
    #[doc(hidden)]
    fn pack_set_permuted<'a>(
        items: impl ExactSizeIterator<Item = &'a Self>,
        p: &Permutation,
        out: &mut Vec<u8>,
    ) {
        if Self::moved_by(p) {
            // A permutation is a bijection: the images are distinct, only their order changes.
            let mut images: Vec<Self> = items.map(|x| x.permute(p)).collect();
            images.sort_unstable();
            Self::pack_set(images.iter(), out);
        } else {
            Self::pack_set(items, out);
        }
    }

    /// A number whose order is the order of the images under `p` (`a.permute(p) <
    /// b.permute(p)` exactly when the number of `a` is less), for types where it is cheap: a
    /// map keyed by them orders its images without building them. `None`: not available.
    #[doc(hidden)]
    fn image_rank(&self, _p: &Permutation) -> Option<u64> {
        None
    }

    /// The value of this type that a TLA+ value stands for (`None` if it stands for none):
    /// the inverse of the rendering, through which a refinement mapping computed in one model's
    /// types becomes a state of another model (see `lamport::refinement`).
    fn from_tla(_v: &crate::tla_value::TlaValue) -> Option<Self> {
        None
    }

    /// The TLA+ rendering of `self`.
    fn tla(&self) -> String {
        let mut out = String::new();
        self.write_tla(&mut out);
        out
    }
}

/// `{"<tag>": value}`, ITF's form for integers, sets, tuples and maps. (Built directly: `json!`
/// would serialize the value into a copy.)
fn itf_tagged(tag: &str, value: serde_json::Value) -> serde_json::Value {
    let mut m = serde_json::Map::new();
    m.insert(tag.to_string(), value);
    serde_json::Value::Object(m)
}

/// A permutation of model values, per model-value type: `image[i]` is the index model value
/// `i` (1-based) maps to; indices not listed map to themselves.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Permutation {
    /// Per type: its name, the images, and whether some value has another image.
    maps: Vec<(&'static str, Vec<u16>, bool)>,
}

impl Permutation {
    /// Whether it maps every value to itself.
    pub fn is_identity(&self) -> bool {
        self.maps.iter().all(|(_, _, moves)| !moves)
    }

    /// The permutation that maps, for type `ty`, `from[k]` to `to[k]`.
    pub fn with(mut self, ty: &'static str, from: &[u16], to: &[u16]) -> Self {
        let size = from.iter().chain(to).copied().max().unwrap_or(0) as usize + 1;
        let mut image: Vec<u16> = (0..size as u16).collect();
        for (f, t) in from.iter().zip(to) {
            image[*f as usize] = *t;
        }
        let moves = image.iter().enumerate().any(|(i, &v)| v as usize != i);
        self.maps.push((ty, image, moves));
        self
    }

    /// The image of model value number `i` of type `ty`.
    #[inline]
    pub fn apply(&self, ty: &'static str, i: u16) -> u16 {
        match self.image(ty) {
            Some(image) => image.get(i as usize).copied().unwrap_or(i),
            None => i,
        }
    }

    /// Whether some model value of type `ty` has another image.
    #[inline]
    pub fn moves(&self, ty: &'static str) -> bool {
        self.entry(ty).is_some_and(|(_, _, moves)| *moves)
    }

    #[inline]
    fn image(&self, ty: &'static str) -> Option<&[u16]> {
        self.entry(ty).map(|(_, image, _)| image.as_slice())
    }

    #[inline]
    fn entry(&self, ty: &'static str) -> Option<&(&'static str, Vec<u16>, bool)> {
        self.maps.iter().find(|(t, _, _)| {
            // The same literal is usually the same address; the text decides otherwise.
            (std::ptr::eq(t.as_ptr(), ty.as_ptr()) && t.len() == ty.len()) || *t == ty
        })
    }
}

/// A typed set of model values, declared with [`model_values!`](crate::model_values).
pub trait ModelValue: Value + Copy {
    /// The Rust type name (`Rm`).
    const TYPE_NAME: &'static str;
    /// The 1-based index of this value (`r2` → 2).
    fn index(self) -> usize;
}

macro_rules! int_value {
    ($($t:ty),*) => {$(
        impl Value for $t {
            fn write_tla(&self, out: &mut String) {
                use std::fmt::Write;
                let _ = write!(out, "{}", self);
            }
            fn to_itf(&self) -> serde_json::Value {
                itf_tagged("#bigint", serde_json::Value::String(self.to_string()))
            }
            fn from_tla(v: &crate::tla_value::TlaValue) -> Option<Self> {
                match v {
                    crate::tla_value::TlaValue::Atom(a) => a.parse().ok(),
                    _ => None,
                }
            }
            fn moved_by(_p: &Permutation) -> bool {
                false
            }
            #[inline]
            fn pack_permuted(&self, _p: &Permutation, out: &mut Vec<u8>) {
                self.pack(out);
            }
        }
    )*};
}
int_value!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

impl Value for bool {
    fn write_tla(&self, out: &mut String) {
        out.push_str(if *self { "TRUE" } else { "FALSE" });
    }
    fn to_itf(&self) -> serde_json::Value {
        serde_json::Value::Bool(*self)
    }
    fn from_tla(v: &crate::tla_value::TlaValue) -> Option<Self> {
        match v {
            crate::tla_value::TlaValue::Atom(a) if a == "TRUE" => Some(true),
            crate::tla_value::TlaValue::Atom(a) if a == "FALSE" => Some(false),
            _ => None,
        }
    }
    fn moved_by(_p: &Permutation) -> bool {
        false
    }
    #[inline]
    fn pack_permuted(&self, _p: &Permutation, out: &mut Vec<u8>) {
        self.pack(out);
    }
}

impl<T: Value> Value for Option<T> {
    fn write_tla(&self, out: &mut String) {
        match self {
            None => out.push_str("<<>>"),
            Some(v) => {
                out.push_str("<<");
                v.write_tla(out);
                out.push_str(">>");
            }
        }
    }
    fn to_itf(&self) -> serde_json::Value {
        match self {
            None => serde_json::Value::Array(vec![]),
            Some(v) => serde_json::Value::Array(vec![v.to_itf()]),
        }
    }
    fn from_tla(v: &crate::tla_value::TlaValue) -> Option<Self> {
        match v {
            crate::tla_value::TlaValue::Seq(xs) if xs.is_empty() => Some(None),
            crate::tla_value::TlaValue::Seq(xs) if xs.len() == 1 => T::from_tla(&xs[0]).map(Some),
            _ => None,
        }
    }
    fn model_values(&self, out: &mut Vec<(&'static str, String)>) {
        if let Some(v) = self {
            v.model_values(out);
        }
    }
    fn permute(&self, p: &Permutation) -> Self {
        self.as_ref().map(|v| v.permute(p))
    }
    fn moved_by(p: &Permutation) -> bool {
        T::moved_by(p)
    }
    fn pack_permuted(&self, p: &Permutation, out: &mut Vec<u8>) {
        // As `Pack for Option`: a tag byte, then the value.
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.pack_permuted(p, out);
            }
        }
    }
}

macro_rules! tuple_value {
    ($(($($n:tt $t:ident),+)),*) => {$(
        impl<$($t: Value),+> Value for ($($t,)+) {
            fn write_tla(&self, out: &mut String) {
                out.push_str("<<");
                let mut _first = true;
                $(
                    if !_first { out.push_str(", "); }
                    _first = false;
                    self.$n.write_tla(out);
                )+
                out.push_str(">>");
            }
            fn to_itf(&self) -> serde_json::Value {
                itf_tagged("#tup", serde_json::Value::Array(vec![$(self.$n.to_itf()),+]))
            }
            fn from_tla(v: &crate::tla_value::TlaValue) -> Option<Self> {
                match v {
                    crate::tla_value::TlaValue::Seq(xs) if xs.len() == [$($n),+].len() => {
                        Some(($($t::from_tla(&xs[$n])?,)+))
                    }
                    _ => None,
                }
            }
            fn model_values(&self, out: &mut Vec<(&'static str, String)>) {
                $( self.$n.model_values(out); )+
            }
            fn permute(&self, p: &Permutation) -> Self {
                ($( self.$n.permute(p), )+)
            }
            fn moved_by(p: &Permutation) -> bool {
                false $( || $t::moved_by(p) )+
            }
            fn pack_permuted(&self, p: &Permutation, out: &mut Vec<u8>) {
                $( self.$n.pack_permuted(p, out); )+
            }
        }
    )*};
}
tuple_value!((0 A), (0 A, 1 B), (0 A, 1 B, 2 C), (0 A, 1 B, 2 C, 3 D), (0 A, 1 B, 2 C, 3 D, 4 E));

fn write_list<'a, T: Value + 'a>(
    out: &mut String,
    open: &str,
    close: &str,
    items: impl Iterator<Item = &'a T>,
) {
    out.push_str(open);
    for (i, item) in items.enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        item.write_tla(out);
    }
    out.push_str(close);
}

/// Immutable, shared storage for the collections: cloning a state is a reference-count
/// increment per collection, and a change allocates one new slice (copy on write). Empty is
/// `None`, never `Some` of an empty slice, so the derived comparisons and hash are by content.
#[derive(PartialEq, Eq, PartialOrd, Ord, Hash)]
struct Items<T>(Option<Arc<[T]>>);

impl<T> Clone for Items<T> {
    fn clone(&self) -> Self {
        Items(self.0.clone())
    }
}

impl<T> Default for Items<T> {
    fn default() -> Self {
        Items(None)
    }
}

impl<T: Clone> Items<T> {
    fn slice(&self) -> &[T] {
        match &self.0 {
            Some(a) => a,
            None => &[],
        }
    }

    fn from_vec(v: Vec<T>) -> Self {
        if v.is_empty() {
            Items(None)
        } else {
            Items(Some(Arc::from(v)))
        }
    }

    /// The slice with `x` inserted at `at` (one allocation).
    fn inserted(&self, at: usize, x: T) -> Self {
        let s = self.slice();
        Items(Some(
            s[..at]
                .iter()
                .cloned()
                .chain(std::iter::once(x))
                .chain(s[at..].iter().cloned())
                .collect(),
        ))
    }

    /// The slice without the element at `at` (one allocation, or none if it becomes empty).
    fn removed(&self, at: usize) -> Self {
        let s = self.slice();
        if s.len() == 1 {
            return Items(None);
        }
        Items(Some(
            s[..at]
                .iter()
                .cloned()
                .chain(s[at + 1..].iter().cloned())
                .collect(),
        ))
    }

    /// Mutable access to the elements, copying them first if they are shared.
    fn make_mut(&mut self) -> &mut [T] {
        match &mut self.0 {
            Some(a) => Arc::make_mut(a),
            None => &mut [],
        }
    }
}

/// A finite set (TLA+ set), kept sorted: iteration order is the values' order.
///
/// `iter()` yields owned copies of the elements, so closures over sets read like TLA+
/// quantifiers (`c.rm.iter().all(|r| ...)`).
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Set<T> {
    items: Items<T>,
}

impl<T> Default for Set<T> {
    fn default() -> Self {
        Set { items: Items(None) }
    }
}

impl<T: Ord + Clone> Set<T> {
    /// The empty set, `{}`.
    pub fn new() -> Self {
        Set { items: Items(None) }
    }

    /// `{x}`.
    pub fn singleton(x: T) -> Self {
        Set {
            items: Items::from_vec(vec![x]),
        }
    }

    /// `Cardinality(S)`.
    pub fn len(&self) -> usize {
        self.items.slice().len()
    }

    /// `S = {}`.
    pub fn is_empty(&self) -> bool {
        self.items.0.is_none()
    }

    /// `x \in S`.
    pub fn contains(&self, x: &T) -> bool {
        self.items.slice().binary_search(x).is_ok()
    }

    /// `S' = S \cup {x}`; returns whether `x` was new.
    pub fn insert(&mut self, x: T) -> bool {
        match self.items.slice().binary_search(&x) {
            Ok(_) => false,
            Err(at) => {
                self.items = self.items.inserted(at, x);
                true
            }
        }
    }

    /// `S' = S \ {x}`; returns whether `x` was present.
    pub fn remove(&mut self, x: &T) -> bool {
        match self.items.slice().binary_search(x) {
            Ok(at) => {
                self.items = self.items.removed(at);
                true
            }
            Err(_) => false,
        }
    }

    /// The elements, in order, as owned values.
    pub fn iter(&self) -> std::iter::Cloned<std::slice::Iter<'_, T>> {
        self.items.slice().iter().cloned()
    }

    /// The elements by reference.
    pub fn as_slice(&self) -> &[T] {
        self.items.slice()
    }

    /// `S \cup T`.
    pub fn union(&self, other: &Set<T>) -> Set<T> {
        let (a, b) = (self.as_slice(), other.as_slice());
        let mut items = Vec::with_capacity(a.len() + b.len());
        let (mut i, mut j) = (0, 0);
        while i < a.len() && j < b.len() {
            match a[i].cmp(&b[j]) {
                std::cmp::Ordering::Less => {
                    items.push(a[i].clone());
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    items.push(b[j].clone());
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    items.push(a[i].clone());
                    i += 1;
                    j += 1;
                }
            }
        }
        items.extend_from_slice(&a[i..]);
        items.extend_from_slice(&b[j..]);
        Set {
            items: Items::from_vec(items),
        }
    }

    /// `S \cap T`.
    pub fn intersection(&self, other: &Set<T>) -> Set<T> {
        self.iter().filter(|x| other.contains(x)).collect()
    }

    /// `S \ T`.
    pub fn difference(&self, other: &Set<T>) -> Set<T> {
        self.iter().filter(|x| !other.contains(x)).collect()
    }

    /// `S \subseteq T`.
    pub fn is_subset(&self, other: &Set<T>) -> bool {
        self.as_slice().iter().all(|x| other.contains(x))
    }

    /// The only element (`CHOOSE x \in S : TRUE`, exact because the set must be a singleton):
    /// a model error unless the set has exactly one element.
    #[track_caller]
    pub fn the(&self) -> T {
        match self.as_slice() {
            [one] => one.clone(),
            other => panic!(
                "`the()` needs a set with exactly one element; this one has {}",
                other.len()
            ),
        }
    }

    /// `SUBSET S`: every subset, in a deterministic order.
    #[track_caller]
    pub fn subsets(&self) -> Set<Set<T>> {
        let items = self.as_slice();
        let n = items.len();
        assert!(
            n < 24,
            "SUBSET of a set with {n} elements is too large to enumerate"
        );
        (0u32..(1 << n))
            .map(|mask| {
                (0..n)
                    .filter(|i| mask & (1 << i) != 0)
                    .map(|i| items[i].clone())
                    .collect()
            })
            .collect()
    }
}

impl<T: Ord + Clone> FromIterator<T> for Set<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        let mut items: Vec<T> = iter.into_iter().collect();
        items.sort();
        items.dedup();
        Set {
            items: Items::from_vec(items),
        }
    }
}

impl<T: Ord + Clone, const N: usize> From<[T; N]> for Set<T> {
    fn from(items: [T; N]) -> Self {
        items.into_iter().collect()
    }
}

impl<T: Ord + Clone> Extend<T> for Set<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, iter: I) {
        let all: Set<T> = self.iter().chain(iter).collect();
        *self = all;
    }
}

impl<T: Ord + Clone> IntoIterator for Set<T> {
    type Item = T;
    type IntoIter = std::vec::IntoIter<T>;
    fn into_iter(self) -> Self::IntoIter {
        self.as_slice().to_vec().into_iter()
    }
}

impl<'a, T: Ord + Clone> IntoIterator for &'a Set<T> {
    type Item = T;
    type IntoIter = std::iter::Cloned<std::slice::Iter<'a, T>>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T: Value> Value for Set<T> {
    fn write_tla(&self, out: &mut String) {
        write_list(out, "{", "}", self.as_slice().iter());
    }
    fn to_itf(&self) -> serde_json::Value {
        itf_tagged(
            "#set",
            serde_json::Value::Array(self.as_slice().iter().map(Value::to_itf).collect()),
        )
    }
    fn model_values(&self, out: &mut Vec<(&'static str, String)>) {
        self.as_slice().iter().for_each(|x| x.model_values(out));
    }
    fn permute(&self, p: &Permutation) -> Self {
        self.as_slice().iter().map(|x| x.permute(p)).collect()
    }
    fn moved_by(p: &Permutation) -> bool {
        T::moved_by(p)
    }
    fn pack_permuted(&self, p: &Permutation, out: &mut Vec<u8>) {
        T::pack_set_permuted(self.as_slice().iter(), p, out);
    }
    fn from_tla(v: &crate::tla_value::TlaValue) -> Option<Self> {
        match v {
            crate::tla_value::TlaValue::Set(xs) => xs.iter().map(T::from_tla).collect(),
            _ => None,
        }
    }
}

impl<T: Value> Debug for Set<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.tla())
    }
}

/// A finite function with an explicit domain (TLA+ function), kept sorted by key.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Map<K, V> {
    entries: Items<(K, V)>,
}

impl<K, V> Default for Map<K, V> {
    fn default() -> Self {
        Map {
            entries: Items(None),
        }
    }
}

impl<K: Ord + Clone, V: Clone> Map<K, V> {
    /// The function with an empty domain.
    pub fn new() -> Self {
        Map {
            entries: Items(None),
        }
    }

    fn position(&self, k: &K) -> Result<usize, usize> {
        self.entries.slice().binary_search_by(|(key, _)| key.cmp(k))
    }

    /// `f[k]` if `k \in DOMAIN f`.
    pub fn get(&self, k: &K) -> Option<&V> {
        self.position(k).ok().map(|at| &self.entries.slice()[at].1)
    }

    /// Mutable access to `f[k]`.
    pub fn get_mut(&mut self, k: &K) -> Option<&mut V> {
        match self.position(k) {
            Ok(at) => Some(&mut self.entries.make_mut()[at].1),
            Err(_) => None,
        }
    }

    /// `k \in DOMAIN f`.
    pub fn contains_key(&self, k: &K) -> bool {
        self.position(k).is_ok()
    }

    /// Sets `f[k] = v`, extending the domain if `k` is new (`k :> v @@ f`).
    pub fn insert(&mut self, k: K, v: V) -> Option<V> {
        match self.position(&k) {
            Ok(at) => Some(std::mem::replace(&mut self.entries.make_mut()[at].1, v)),
            Err(at) => {
                self.entries = self.entries.inserted(at, (k, v));
                None
            }
        }
    }

    /// Removes `k` from the domain.
    pub fn remove(&mut self, k: &K) -> Option<V> {
        match self.position(k) {
            Ok(at) => {
                let old = self.entries.slice()[at].1.clone();
                self.entries = self.entries.removed(at);
                Some(old)
            }
            Err(_) => None,
        }
    }

    /// `Cardinality(DOMAIN f)`.
    pub fn len(&self) -> usize {
        self.entries.slice().len()
    }

    /// `DOMAIN f = {}`.
    pub fn is_empty(&self) -> bool {
        self.entries.0.is_none()
    }

    /// `DOMAIN f`, as owned keys in order.
    pub fn keys(&self) -> impl Iterator<Item = K> + '_ {
        self.entries.slice().iter().map(|(k, _)| k.clone())
    }

    /// The range of `f`, as owned values in key order.
    pub fn values(&self) -> impl Iterator<Item = V> + '_ {
        self.entries.slice().iter().map(|(_, v)| v.clone())
    }

    /// The pairs `(k, f[k])`, owned, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (K, V)> + '_ {
        self.entries.slice().iter().cloned()
    }

    /// `DOMAIN f`, as a set.
    pub fn domain(&self) -> Set<K> {
        Set {
            items: Items::from_vec(self.keys().collect()),
        }
    }
}

impl<K: Ord + Clone, V: Ord + Clone> Map<K, V> {
    /// `[dom -> range]`: every function from `dom` to `range` (`|range|^|dom|` of them), in a
    /// deterministic order. A domain of parameters (`f in Map::functions(..)`), or a set to test
    /// membership in (`Map::functions(..).contains(&f)`, `f \in [dom -> range]`).
    #[track_caller]
    pub fn functions(
        dom: impl IntoIterator<Item = K>,
        range: impl IntoIterator<Item = V>,
    ) -> Set<Map<K, V>> {
        let dom: Set<K> = dom.into_iter().collect();
        let range: Set<V> = range.into_iter().collect();
        let (keys, values) = (dom.as_slice(), range.as_slice());
        let count = u32::try_from(keys.len())
            .ok()
            .and_then(|n| (values.len() as u128).checked_pow(n));
        assert!(
            count.is_some_and(|c| c <= 1 << 24),
            "[S -> T] with {} elements in S and {} in T has too many functions to enumerate",
            keys.len(),
            values.len()
        );
        if values.is_empty() && !keys.is_empty() {
            return Set::new();
        }
        let mut out = Vec::new();
        let mut digits = vec![0usize; keys.len()];
        loop {
            out.push(
                keys.iter()
                    .zip(&digits)
                    .map(|(k, &d)| (k.clone(), values[d].clone()))
                    .collect::<Map<K, V>>(),
            );
            // The next assignment, the last key varying fastest; done after the last one.
            let mut i = keys.len();
            loop {
                if i == 0 {
                    return out.into_iter().collect();
                }
                i -= 1;
                digits[i] += 1;
                if digits[i] < values.len() {
                    break;
                }
                digits[i] = 0;
            }
        }
    }
}

impl<K: Ord + Clone, V: Clone> FromIterator<(K, V)> for Map<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut entries: Vec<(K, V)> = iter.into_iter().collect();
        // Later pairs win for equal keys, as repeated inserts would.
        entries.reverse();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        entries.dedup_by(|a, b| a.0 == b.0);
        Map {
            entries: Items::from_vec(entries),
        }
    }
}

impl<K: Ord + Clone, V: Clone, const N: usize> From<[(K, V); N]> for Map<K, V> {
    fn from(items: [(K, V); N]) -> Self {
        items.into_iter().collect()
    }
}

/// Calls `f` with `(rank(i), i)` for `i` in `0..n`, sorted by rank: on the stack for small
/// `n` (a map's domain under a permutation, see `Value::image_rank`).
fn with_ranks(n: usize, rank: impl Fn(usize) -> u64, f: impl FnOnce(&[(u64, u32)])) {
    const ON_STACK: usize = 32;
    let mut stack = [(0u64, 0u32); ON_STACK];
    let mut heap = Vec::new();
    let order: &mut [(u64, u32)] = if n <= ON_STACK {
        &mut stack[..n]
    } else {
        heap.resize(n, (0, 0));
        &mut heap
    };
    for (i, o) in order.iter_mut().enumerate() {
        *o = (rank(i), i as u32);
    }
    order.sort_unstable_by_key(|o| o.0);
    f(order);
}

#[track_caller]
fn missing_key<K: Debug>(k: &K) -> ! {
    panic!("function applied outside its domain: key {k:?} is not in DOMAIN")
}

impl<K: Ord + Clone + Debug, V: Clone> Index<&K> for Map<K, V> {
    type Output = V;
    #[track_caller]
    fn index(&self, k: &K) -> &V {
        match self.get(k) {
            Some(v) => v,
            None => missing_key(k),
        }
    }
}

impl<K: Ord + Clone + Debug, V: Clone> Index<K> for Map<K, V> {
    type Output = V;
    #[track_caller]
    fn index(&self, k: K) -> &V {
        match self.get(&k) {
            Some(v) => v,
            None => missing_key(&k),
        }
    }
}

impl<K: Ord + Clone + Debug, V: Clone> IndexMut<&K> for Map<K, V> {
    #[track_caller]
    fn index_mut(&mut self, k: &K) -> &mut V {
        match self.position(k) {
            Ok(at) => &mut self.entries.make_mut()[at].1,
            Err(_) => missing_key(k),
        }
    }
}

impl<K: Ord + Clone + Debug, V: Clone> IndexMut<K> for Map<K, V> {
    #[track_caller]
    fn index_mut(&mut self, k: K) -> &mut V {
        match self.position(&k) {
            Ok(at) => &mut self.entries.make_mut()[at].1,
            Err(_) => missing_key(&k),
        }
    }
}

impl<K: Value, V: Value> Value for Map<K, V> {
    fn write_tla(&self, out: &mut String) {
        let entries = self.entries.slice();
        if entries.is_empty() {
            out.push_str("<<>>");
            return;
        }
        out.push('(');
        for (i, (k, v)) in entries.iter().enumerate() {
            if i > 0 {
                out.push_str(" @@ ");
            }
            k.write_tla(out);
            out.push_str(" :> ");
            v.write_tla(out);
        }
        out.push(')');
    }
    fn to_itf(&self) -> serde_json::Value {
        let pairs: Vec<_> = self
            .entries
            .slice()
            .iter()
            .map(|(k, v)| serde_json::Value::Array(vec![k.to_itf(), v.to_itf()]))
            .collect();
        itf_tagged("#map", serde_json::Value::Array(pairs))
    }
    fn model_values(&self, out: &mut Vec<(&'static str, String)>) {
        for (k, v) in self.entries.slice() {
            k.model_values(out);
            v.model_values(out);
        }
    }
    fn permute(&self, p: &Permutation) -> Self {
        self.entries
            .slice()
            .iter()
            .map(|(k, v)| (k.permute(p), v.permute(p)))
            .collect()
    }
    fn moved_by(p: &Permutation) -> bool {
        K::moved_by(p) || V::moved_by(p)
    }
    fn pack_permuted(&self, p: &Permutation, out: &mut Vec<u8>) {
        // As `Pack for Map`: the domain as a set, then the values in key order, here the
        // order of the keys' images.
        let entries = self.entries.slice();
        if !K::moved_by(p) {
            K::pack_set(entries.iter().map(|e| &e.0), out);
            for (_, v) in entries {
                v.pack_permuted(p, out);
            }
            return;
        }
        if entries.first().and_then(|e| e.0.image_rank(p)).is_some() {
            // Keys ranked by number (model values): their order sorted on the stack.
            K::pack_set_permuted(entries.iter().map(|e| &e.0), p, out);
            with_ranks(
                entries.len(),
                |i| {
                    entries[i]
                        .0
                        .image_rank(p)
                        .expect("every key of the type has a rank")
                },
                |order| {
                    for &(_, i) in order {
                        entries[i as usize].1.pack_permuted(p, out);
                    }
                },
            );
            return;
        }
        let mut images: Vec<(K, usize)> = entries
            .iter()
            .enumerate()
            .map(|(i, (k, _))| (k.permute(p), i))
            .collect();
        images.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        K::pack_set(images.iter().map(|e| &e.0), out);
        for &(_, i) in &images {
            entries[i].1.pack_permuted(p, out);
        }
    }
    fn from_tla(v: &crate::tla_value::TlaValue) -> Option<Self> {
        match v {
            crate::tla_value::TlaValue::Seq(xs) if xs.is_empty() => Some(Map::new()),
            crate::tla_value::TlaValue::Func(kvs) => kvs
                .iter()
                .map(|(k, v)| Some((K::from_tla(k)?, V::from_tla(v)?)))
                .collect(),
            _ => None,
        }
    }
}

/// Packed (see `pack`): the sorted elements, as their type packs a set.
impl<T: Pack + Clone> Pack for Set<T> {
    #[inline]
    fn pack(&self, out: &mut Vec<u8>) {
        T::pack_set(self.items.slice().iter(), out);
    }
    #[inline]
    fn unpack(input: &mut &[u8]) -> Self {
        Set {
            items: Items::from_vec(T::unpack_set(input)),
        }
    }
}

/// Packed (see `pack`): the domain as a set of keys, then the values in key order.
impl<K: Pack + Clone, V: Pack + Clone> Pack for Map<K, V> {
    fn pack(&self, out: &mut Vec<u8>) {
        let entries = self.entries.slice();
        K::pack_set(entries.iter().map(|e| &e.0), out);
        for (_, v) in entries {
            v.pack(out);
        }
    }
    fn unpack(input: &mut &[u8]) -> Self {
        let keys = K::unpack_set(input);
        let entries: Vec<(K, V)> = keys.into_iter().map(|k| (k, V::unpack(input))).collect();
        Map {
            entries: Items::from_vec(entries),
        }
    }
}

impl<K: Value, V: Value> Debug for Map<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.tla())
    }
}

/// A finite sequence (TLA+ sequence). Indices are 0-based in Rust and 1-based in TLA+; the
/// translation owns that offset.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Seq<T> {
    items: Items<T>,
}

impl<T> Default for Seq<T> {
    fn default() -> Self {
        Seq { items: Items(None) }
    }
}

#[track_caller]
fn out_of_range(i: usize, len: usize) -> ! {
    panic!("sequence index {i} out of range (0-based; the sequence has {len} elements)")
}

impl<T: Clone> Seq<T> {
    /// `<<>>`.
    pub fn new() -> Self {
        Seq { items: Items(None) }
    }

    /// `Len(s)`.
    pub fn len(&self) -> usize {
        self.items.slice().len()
    }

    /// `s = <<>>`.
    pub fn is_empty(&self) -> bool {
        self.items.0.is_none()
    }

    /// `Append(s, x)`.
    pub fn push(&mut self, x: T) {
        let len = self.len();
        self.items = self.items.inserted(len, x);
    }

    /// Removes the last element (`SubSeq(s, 1, Len(s) - 1)`).
    pub fn pop(&mut self) -> Option<T> {
        let last = self.last().cloned()?;
        self.items = self.items.removed(self.len() - 1);
        Some(last)
    }

    /// `s[i + 1]` if `i < Len(s)`.
    pub fn get(&self, i: usize) -> Option<&T> {
        self.items.slice().get(i)
    }

    /// `Head(s)`.
    pub fn first(&self) -> Option<&T> {
        self.items.slice().first()
    }

    /// `s[Len(s)]`.
    pub fn last(&self) -> Option<&T> {
        self.items.slice().last()
    }

    /// The elements, in order, as owned values.
    pub fn iter(&self) -> std::iter::Cloned<std::slice::Iter<'_, T>> {
        self.items.slice().iter().cloned()
    }

    /// The elements by reference.
    pub fn as_slice(&self) -> &[T] {
        self.items.slice()
    }

    /// `Head(s)`: the first element; an error for the empty sequence, as in TLC.
    #[track_caller]
    pub fn head(&self) -> T {
        match self.items.slice().first() {
            Some(x) => x.clone(),
            None => panic!("Head of the empty sequence"),
        }
    }

    /// `Tail(s)`: every element but the first; an error for the empty sequence, as in TLC.
    #[track_caller]
    pub fn tail(&self) -> Seq<T> {
        if self.is_empty() {
            panic!("Tail of the empty sequence");
        }
        Seq {
            items: Items::from_vec(self.as_slice()[1..].to_vec()),
        }
    }

    /// `Append(s, x)`: a new sequence with `x` at the end (`push` changes `s` instead).
    pub fn append(&self, x: T) -> Seq<T> {
        self.iter().chain(std::iter::once(x)).collect()
    }

    /// `s \o t`.
    pub fn concat(&self, other: &Seq<T>) -> Seq<T> {
        self.iter().chain(other.iter()).collect()
    }

    /// `SubSeq(s, from + 1, to)`: the elements at 0-based positions `from..to`.
    #[track_caller]
    pub fn subseq(&self, from: usize, to: usize) -> Seq<T> {
        let s = self.as_slice();
        if from > to || to > s.len() {
            panic!(
                "subsequence {from}..{to} out of range (the sequence has {} elements)",
                s.len()
            );
        }
        Seq {
            items: Items::from_vec(s[from..to].to_vec()),
        }
    }

    /// Keeps the first `n` elements.
    pub fn truncate(&mut self, n: usize) {
        if n < self.len() {
            self.items = Items::from_vec(self.as_slice()[..n].to_vec());
        }
    }
}

impl<T: Clone> FromIterator<T> for Seq<T> {
    fn from_iter<I: IntoIterator<Item = T>>(iter: I) -> Self {
        Seq {
            items: Items::from_vec(iter.into_iter().collect()),
        }
    }
}

impl<T: Clone, const N: usize> From<[T; N]> for Seq<T> {
    fn from(items: [T; N]) -> Self {
        items.into_iter().collect()
    }
}

impl<T: Clone> Index<usize> for Seq<T> {
    type Output = T;
    #[track_caller]
    fn index(&self, i: usize) -> &T {
        let s = self.items.slice();
        match s.get(i) {
            Some(x) => x,
            None => out_of_range(i, s.len()),
        }
    }
}

impl<T: Clone> IndexMut<usize> for Seq<T> {
    #[track_caller]
    fn index_mut(&mut self, i: usize) -> &mut T {
        let len = self.len();
        if i >= len {
            out_of_range(i, len)
        }
        &mut self.items.make_mut()[i]
    }
}

/// Packed (see `pack`): the length, then the elements in order.
impl<T: Pack + Clone> Pack for Seq<T> {
    #[inline]
    fn pack(&self, out: &mut Vec<u8>) {
        let items = self.items.slice();
        crate::pack::write_len(items.len(), out);
        for x in items {
            x.pack(out);
        }
    }
    #[inline]
    fn unpack(input: &mut &[u8]) -> Self {
        let n = crate::pack::read_len(input);
        Seq {
            items: Items::from_vec((0..n).map(|_| T::unpack(input)).collect()),
        }
    }
}

impl<T: Value> Value for Seq<T> {
    fn write_tla(&self, out: &mut String) {
        write_list(out, "<<", ">>", self.as_slice().iter());
    }
    fn to_itf(&self) -> serde_json::Value {
        serde_json::Value::Array(self.as_slice().iter().map(Value::to_itf).collect())
    }
    fn model_values(&self, out: &mut Vec<(&'static str, String)>) {
        self.as_slice().iter().for_each(|x| x.model_values(out));
    }
    fn permute(&self, p: &Permutation) -> Self {
        self.as_slice().iter().map(|x| x.permute(p)).collect()
    }
    fn moved_by(p: &Permutation) -> bool {
        T::moved_by(p)
    }
    fn pack_permuted(&self, p: &Permutation, out: &mut Vec<u8>) {
        // As `Pack for Seq`: the length, then the elements in order.
        let items = self.as_slice();
        crate::pack::write_len(items.len(), out);
        for x in items {
            x.pack_permuted(p, out);
        }
    }
    fn from_tla(v: &crate::tla_value::TlaValue) -> Option<Self> {
        match v {
            crate::tla_value::TlaValue::Seq(xs) => xs.iter().map(T::from_tla).collect(),
            _ => None,
        }
    }
}

impl<T: Value> Debug for Seq<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.tla())
    }
}

/// Declares typed sets of model values: `model_values!(Rm);` or `model_values!(Rm = "rm");`.
///
/// Each becomes a `Copy` type whose values render as the prefix and a 1-based index (`r1`, `r2`,
/// ...); `Rm::values(3)` is the set `{r1, r2, r3}` that a configuration assigns to a constant.
#[macro_export]
macro_rules! model_values {
    ($($name:ident $(= $prefix:literal)?),+ $(,)?) => {
        $( $crate::__model_value_type!($name $(, $prefix)?); )+
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __model_value_type {
    ($name:ident) => {
        $crate::__model_value_type!(@define $name, $crate::__private::default_prefix(stringify!($name)));
    };
    ($name:ident, $prefix:literal) => {
        $crate::__model_value_type!(@define $name, ::std::string::String::from($prefix));
    };
    (@define $name:ident, $prefix:expr) => {
        #[doc = concat!("A model value of the set `", stringify!($name), "`.")]
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(u16);

        #[allow(dead_code)]
        impl $name {
            /// The set of the first `n` values of this kind: `{x1, ..., xn}`.
            pub fn values(n: usize) -> $crate::Set<$name> {
                assert!(n < u16::MAX as usize, "too many model values");
                (1..=n).map(|i| $name(i as u16)).collect()
            }

            /// The value numbered `i` (1-based, as rendered).
            pub fn nth(i: usize) -> $name {
                assert!(i >= 1 && i < u16::MAX as usize, "model values are numbered from 1");
                $name(i as u16)
            }

            /// The prefix this set's values render with.
            pub fn prefix() -> ::std::string::String {
                $prefix
            }
        }

        impl $crate::Value for $name {
            fn write_tla(&self, out: &mut ::std::string::String) {
                out.push_str(&$name::prefix());
                out.push_str(&self.0.to_string());
            }
            fn to_itf(&self) -> $crate::__private::serde_json::Value {
                $crate::__private::serde_json::Value::String($crate::Value::tla(self))
            }
            fn model_values(&self, out: &mut ::std::vec::Vec<(&'static str, ::std::string::String)>) {
                out.push((stringify!($name), $crate::Value::tla(self)));
            }
            fn permute(&self, p: &$crate::Permutation) -> Self {
                $name(p.apply(stringify!($name), self.0))
            }
            fn moved_by(p: &$crate::Permutation) -> bool {
                p.moves(stringify!($name))
            }
            #[inline]
            fn pack_permuted(&self, p: &$crate::Permutation, out: &mut ::std::vec::Vec<u8>) {
                $crate::__private::pack::write_u64(u64::from(p.apply(stringify!($name), self.0)), out);
            }
            fn pack_set_permuted<'a>(
                items: impl ::std::iter::ExactSizeIterator<Item = &'a Self>,
                p: &$crate::Permutation,
                out: &mut ::std::vec::Vec<u8>,
            ) {
                // The bit mask of the images' indices: no order to restore.
                $crate::__private::pack::pack_index_set(
                    items.map(|v| usize::from(p.apply(stringify!($name), v.0))),
                    out,
                );
            }
            #[inline]
            fn image_rank(&self, p: &$crate::Permutation) -> ::core::option::Option<u64> {
                ::core::option::Option::Some(u64::from(p.apply(stringify!($name), self.0)))
            }
            fn from_tla(v: &$crate::TlaValue) -> ::core::option::Option<Self> {
                match v {
                    $crate::TlaValue::Atom(a) => {
                        let i: u16 = a.strip_prefix(&$name::prefix())?.parse().ok()?;
                        (i >= 1).then_some($name(i))
                    }
                    _ => ::core::option::Option::None,
                }
            }
        }

        impl $crate::__private::Pack for $name {
            #[inline]
            fn pack(&self, out: &mut ::std::vec::Vec<u8>) {
                $crate::__private::pack::write_u64(u64::from(self.0), out);
            }
            #[inline]
            fn unpack(input: &mut &[u8]) -> Self {
                $name($crate::__private::pack::read_u64(input) as u16)
            }
            #[inline]
            fn pack_set<'a>(items: impl ::std::iter::ExactSizeIterator<Item = &'a Self>, out: &mut ::std::vec::Vec<u8>) {
                $crate::__private::pack::pack_index_set(items.map(|v| usize::from(v.0)), out);
            }
            #[inline]
            fn unpack_set(input: &mut &[u8]) -> ::std::vec::Vec<Self> {
                let mut out = ::std::vec::Vec::new();
                $crate::__private::pack::unpack_index_set(input, |i| out.push($name(i as u16)));
                out
            }
        }

        impl $crate::ModelValue for $name {
            const TYPE_NAME: &'static str = stringify!($name);
            fn index(self) -> usize {
                self.0 as usize
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&$crate::Value::tla(self))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::model_values!(Rm, Acc = "a");

    #[test]
    fn renderings() {
        let rms = Rm::values(3);
        assert_eq!(rms.tla(), "{r1, r2, r3}");
        assert_eq!(Acc::nth(2).tla(), "a2");
        let m: Map<Rm, i64> = rms.iter().map(|r| (r, r.index() as i64)).collect();
        assert_eq!(m.tla(), "(r1 :> 1 @@ r2 :> 2 @@ r3 :> 3)");
        assert_eq!(Map::<Rm, i64>::new().tla(), "<<>>");
        assert_eq!(Seq::from([1i64, 2]).tla(), "<<1, 2>>");
        assert_eq!((1i64, true).tla(), "<<1, TRUE>>");
        assert_eq!(Some(3i64).tla(), "<<3>>");
        assert_eq!(None::<i64>.tla(), "<<>>");
        assert_eq!(Set::<i64>::new().tla(), "{}");
    }

    #[test]
    fn set_operations_keep_order_and_uniqueness() {
        let mut s = Set::from([3i64, 1, 2, 3]);
        assert_eq!(s.as_slice(), &[1, 2, 3]);
        assert!(!s.insert(2));
        assert!(s.insert(0));
        assert!(s.remove(&3));
        assert_eq!(s.as_slice(), &[0, 1, 2]);
        let t = Set::from([2i64, 5]);
        assert_eq!(s.union(&t).as_slice(), &[0, 1, 2, 5]);
        assert_eq!(s.intersection(&t).as_slice(), &[2]);
        assert_eq!(s.difference(&t).as_slice(), &[0, 1]);
        assert!(Set::from([1i64]).is_subset(&s));
        assert_eq!(Set::from([1i64, 2]).subsets().len(), 4);
    }

    #[test]
    fn clones_share_storage_until_one_changes() {
        let mut a: Map<i64, Set<i64>> = Map::from([(1, Set::from([1])), (2, Set::new())]);
        let b = a.clone();
        a[1].insert(5);
        a.insert(3, Set::singleton(3));
        let mut q = Seq::from([1i64, 2]);
        let r = q.clone();
        q.push(3);
        q[0] = 9;
        assert_eq!(b.tla(), "(1 :> {1} @@ 2 :> {})");
        assert_eq!(a.tla(), "(1 :> {1, 5} @@ 2 :> {} @@ 3 :> {3})");
        assert_eq!(r.tla(), "<<1, 2>>");
        assert_eq!(q.tla(), "<<9, 2, 3>>");
        assert_eq!(q.pop(), Some(3));
        assert_eq!(q.len(), 2);
        // An emptied collection equals a new one (storage is normalised).
        let mut s = Set::from([1i64]);
        s.remove(&1);
        assert_eq!(s, Set::new());
    }

    #[test]
    fn permuting_model_values_renames_them_and_keeps_sets_sorted() {
        let swap = Permutation::default().with("Rm", &[1, 2], &[2, 1]);
        let s = Set::from([Rm::nth(1), Rm::nth(3)]);
        assert_eq!(s.permute(&swap).tla(), "{r2, r3}");
        let m: Map<Rm, Set<Rm>> = Map::from([(Rm::nth(1), Set::from([Rm::nth(2)]))]);
        assert_eq!(m.permute(&swap).tla(), "(r2 :> {r1})");
        assert_eq!(
            Acc::nth(1).permute(&swap),
            Acc::nth(1),
            "other types are untouched"
        );
        let group = crate::private::extend_symmetry(Vec::new(), "Rm", &[1, 2, 3]);
        assert_eq!(group.len(), 6);
        let with_acc = crate::private::extend_symmetry(group, "Acc", &[1, 2]);
        assert_eq!(with_acc.len(), 12, "the product group");
    }

    /// `pack_permuted` against building the permuted value and packing it.
    fn assert_packs_permuted<T: Value>(v: &T, p: &Permutation) {
        let (mut direct, mut built) = (Vec::new(), Vec::new());
        v.pack_permuted(p, &mut direct);
        v.permute(p).pack(&mut built);
        assert_eq!(direct, built, "{v:?} under {p:?}");
    }

    #[test]
    fn a_permuted_value_packs_as_the_value_permuted() {
        let group = crate::private::extend_symmetry(Vec::new(), "Rm", &[1, 2, 3, 4]);
        let group = crate::private::extend_symmetry(group, "Acc", &[1, 2]);
        // Deterministic pseudo-random values of nested types, each under every permutation.
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        for _ in 0..200 {
            let rm = |x: u64| Rm::nth(1 + x as usize);
            let set: Set<Rm> = (0..next(5)).map(|_| rm(next(4))).collect();
            let wide: Set<Rm> = (0..next(4))
                .map(|_| Rm::nth(60 + next(8) as usize))
                .collect();
            let by_rm: Map<Rm, Seq<(Rm, i64)>> = (0..next(5))
                .map(|_| {
                    let log = (0..next(3))
                        .map(|_| (rm(next(4)), next(3) as i64))
                        .collect();
                    (rm(next(4)), log)
                })
                .collect();
            let by_pair: Map<(Rm, Acc), Option<Rm>> = (0..next(5))
                .map(|_| {
                    let value = (next(2) == 0).then(|| rm(next(4)));
                    ((rm(next(4)), Acc::nth(1 + next(2) as usize)), value)
                })
                .collect();
            let by_int: Map<i64, Set<Rm>> = (0..next(4))
                .map(|_| (next(5) as i64, (0..next(3)).map(|_| rm(next(4))).collect()))
                .collect();
            let nested: Map<Rm, Map<Rm, bool>> = (0..next(4))
                .map(|_| {
                    let inner = (0..next(4)).map(|_| (rm(next(4)), next(2) == 0)).collect();
                    (rm(next(4)), inner)
                })
                .collect();
            let sets: Set<Set<Rm>> = (0..next(4))
                .map(|_| (0..next(3)).map(|_| rm(next(4))).collect())
                .collect();
            for p in &group {
                assert_packs_permuted(&set, p);
                assert_packs_permuted(&wide, p);
                assert_packs_permuted(&by_rm, p);
                assert_packs_permuted(&by_pair, p);
                assert_packs_permuted(&by_int, p);
                assert_packs_permuted(&nested, p);
                assert_packs_permuted(&sets, p);
            }
        }
        // Past the stack's room for a map's ranks.
        // and indices from 63 on, listed after the mask.
        let big: Map<Rm, i64> = (1..=70).map(|i| (Rm::nth(i), i as i64)).collect();
        let reverse: Vec<u16> = (1..=70).rev().collect();
        let flip = Permutation::default().with("Rm", &(1..=70).collect::<Vec<u16>>(), &reverse);
        assert_packs_permuted(&big, &flip);
        assert_packs_permuted(&big.domain(), &flip);
        assert!(!<Map<i64, Seq<Acc>>>::moved_by(&flip), "no Acc is moved");
        assert!(<Map<i64, Seq<Rm>>>::moved_by(&flip));
    }

    #[test]
    fn map_from_pairs_keeps_the_last_value_of_a_key() {
        let m: Map<i64, i64> = [(1, 10), (2, 20), (1, 11)].into_iter().collect();
        assert_eq!(m.tla(), "(1 :> 11 @@ 2 :> 20)");
    }

    #[test]
    fn map_index_outside_domain_panics_with_a_reason() {
        let m: Map<i64, i64> = Map::from([(1, 10)]);
        assert_eq!(m[1], 10);
        let err = std::panic::catch_unwind(|| m[2]).unwrap_err();
        let msg = err.downcast_ref::<String>().unwrap();
        assert!(msg.contains("outside its domain"), "{msg}");
    }
}
