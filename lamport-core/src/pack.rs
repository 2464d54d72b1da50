//! The packed form of states: a compact, canonical byte string per state.
//!
//! The checker keeps the states of the levels it explores packed (in memory, or on disk past a
//! size), and fingerprints a state by hashing its packed bytes. `#[derive(Value)]` and
//! `#[lamport::model]` generate [`Pack`] for the model's records, enums and state; the value
//! types implement it here and in `value`.
//!
//! The encoding is canonical: two values are equal exactly when their packed bytes are equal
//! (so a fingerprint of the bytes is a fingerprint of the value), whatever the configuration.
//! Integers are variable-length (LEB128, zigzag for signed types: one byte from -64 to 63),
//! enum tags and lengths likewise, a model value is its index, a set of model values is the
//! bit mask of their indices, and a record is its fields one after another. A state of
//! two-phase commit with eight resource managers packs into about 30 bytes.

/// A value with a packed form (see the module documentation).
pub trait Pack: Sized {
    /// Appends the packed form of `self` to `out`.
    fn pack(&self, out: &mut Vec<u8>);

    /// Reads a value packed by [`Pack::pack`] from the front of `input`, advancing it.
    ///
    /// # Panics
    /// If `input` does not start with a packed value of this type (a bug: the checker only
    /// unpacks what it packed).
    fn unpack(input: &mut &[u8]) -> Self;

    /// Appends a set of these, `items` sorted and distinct. The default is the length and the
    /// elements; model values pack a set as the bit mask of their indices.
    #[doc(hidden)]
    fn pack_set<'a>(items: impl ExactSizeIterator<Item = &'a Self>, out: &mut Vec<u8>)
    where
        Self: 'a,
    {
        write_len(items.len(), out);
        for x in items {
            x.pack(out);
        }
    }

    /// Reads a set packed by [`Pack::pack_set`], in order.
    #[doc(hidden)]
    fn unpack_set(input: &mut &[u8]) -> Vec<Self> {
        let n = read_len(input);
        (0..n).map(|_| Self::unpack(input)).collect()
    }
}

/// Appends `v` as LEB128: seven bits a byte, low bits first, the high bit set on all but the
/// last byte.
#[inline]
pub fn write_u64(mut v: u64, out: &mut Vec<u8>) {
    while v >= 0x80 {
        out.push((v as u8) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a LEB128 number written by [`write_u64`].
#[inline]
pub fn read_u64(input: &mut &[u8]) -> u64 {
    let mut v = 0u64;
    let mut shift = 0;
    loop {
        let (&b, rest) = input.split_first().expect(TRUNCATED);
        *input = rest;
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return v;
        }
        shift += 7;
    }
}

/// Appends a signed number, zigzag-encoded (0, -1, 1, -2, ... as 0, 1, 2, 3, ...).
#[inline]
pub fn write_i64(v: i64, out: &mut Vec<u8>) {
    write_u64(((v << 1) ^ (v >> 63)) as u64, out);
}

/// Reads a number written by [`write_i64`].
#[inline]
pub fn read_i64(input: &mut &[u8]) -> i64 {
    let z = read_u64(input);
    ((z >> 1) as i64) ^ -((z & 1) as i64)
}

/// Appends a length or an enum tag.
#[inline]
pub fn write_len(n: usize, out: &mut Vec<u8>) {
    write_u64(n as u64, out);
}

/// Reads a length or an enum tag.
#[inline]
pub fn read_len(input: &mut &[u8]) -> usize {
    read_u64(input) as usize
}

const TRUNCATED: &str = "a packed state ended early (lamport bug: it unpacks only what it packed)";

/// Panics for a tag no variant has.
#[cold]
#[track_caller]
pub fn bad_tag(ty: &str, tag: usize) -> ! {
    panic!("no variant of {ty} has packed tag {tag} (lamport bug: it unpacks only what it packed)")
}

macro_rules! pack_unsigned {
    ($($t:ty),*) => {$(
        impl Pack for $t {
            #[inline]
            fn pack(&self, out: &mut Vec<u8>) {
                write_u64(*self as u64, out);
            }
            #[inline]
            fn unpack(input: &mut &[u8]) -> Self {
                read_u64(input) as $t
            }
        }
    )*};
}
pack_unsigned!(u8, u16, u32, u64, usize);

macro_rules! pack_signed {
    ($($t:ty),*) => {$(
        impl Pack for $t {
            #[inline]
            fn pack(&self, out: &mut Vec<u8>) {
                write_i64(*self as i64, out);
            }
            #[inline]
            fn unpack(input: &mut &[u8]) -> Self {
                read_i64(input) as $t
            }
        }
    )*};
}
pack_signed!(i8, i16, i32, i64, isize);

impl Pack for bool {
    #[inline]
    fn pack(&self, out: &mut Vec<u8>) {
        out.push(u8::from(*self));
    }
    #[inline]
    fn unpack(input: &mut &[u8]) -> Self {
        let (&b, rest) = input.split_first().expect(TRUNCATED);
        *input = rest;
        b != 0
    }
}

impl Pack for () {
    fn pack(&self, _: &mut Vec<u8>) {}
    fn unpack(_: &mut &[u8]) -> Self {}
}

impl<T: Pack> Pack for Option<T> {
    #[inline]
    fn pack(&self, out: &mut Vec<u8>) {
        match self {
            None => out.push(0),
            Some(v) => {
                out.push(1);
                v.pack(out);
            }
        }
    }
    #[inline]
    fn unpack(input: &mut &[u8]) -> Self {
        match bool::unpack(input) {
            false => None,
            true => Some(T::unpack(input)),
        }
    }
}

impl<T: Pack> Pack for Box<T> {
    fn pack(&self, out: &mut Vec<u8>) {
        (**self).pack(out);
    }
    fn unpack(input: &mut &[u8]) -> Self {
        Box::new(T::unpack(input))
    }
}

macro_rules! pack_tuple {
    ($(($($n:tt $t:ident),+)),*) => {$(
        impl<$($t: Pack),+> Pack for ($($t,)+) {
            #[inline]
            fn pack(&self, out: &mut Vec<u8>) {
                $( self.$n.pack(out); )+
            }
            #[inline]
            fn unpack(input: &mut &[u8]) -> Self {
                ($( $t::unpack(input), )+)
            }
        }
    )*};
}
pack_tuple!((0 A), (0 A, 1 B), (0 A, 1 B, 2 C), (0 A, 1 B, 2 C, 3 D), (0 A, 1 B, 2 C, 3 D, 4 E));

/// A set of model values as the bit mask of their (1-based) indices, in LEB128: what
/// `model_values!` types use for [`Pack::pack_set`]. The indices may come in any order: the
/// form is canonical.
#[doc(hidden)]
pub fn pack_index_set(indices: impl Iterator<Item = usize>, out: &mut Vec<u8>) {
    let mut mask: u64 = 0;
    let mut wide: Vec<usize> = Vec::new();
    for i in indices {
        if i < 63 {
            mask |= 1 << i;
        } else {
            wide.push(i);
        }
    }
    if wide.is_empty() {
        write_u64(mask, out);
    } else {
        // Bit 63 says the indices from 63 on follow as a list.
        write_u64(mask | 1 << 63, out);
        // In increasing order, whatever order the indices came in (images under a permutation
        // come in the order of their originals).
        wide.sort_unstable();
        write_len(wide.len(), out);
        for i in wide {
            write_len(i, out);
        }
    }
}

/// Reads a set written by [`pack_index_set`], calling `each` with every index in increasing order.
#[doc(hidden)]
pub fn unpack_index_set(input: &mut &[u8], mut each: impl FnMut(usize)) {
    let mask = read_u64(input);
    let mut low = mask & !(1 << 63);
    while low != 0 {
        each(low.trailing_zeros() as usize);
        low &= low - 1;
    }
    if mask >> 63 == 1 {
        let n = read_len(input);
        for _ in 0..n {
            each(read_len(input));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round<T: Pack + PartialEq + std::fmt::Debug>(v: T) -> Vec<u8> {
        let mut out = Vec::new();
        v.pack(&mut out);
        let mut input = &out[..];
        assert_eq!(T::unpack(&mut input), v);
        assert!(input.is_empty());
        out
    }

    #[test]
    fn integers_are_short_and_round_trip() {
        assert_eq!(round(0u64), vec![0]);
        assert_eq!(round(127u64), vec![127]);
        assert_eq!(round(128u64), vec![0x80, 1]);
        assert_eq!(round(u64::MAX).len(), 10);
        assert_eq!(round(-1i64), vec![1]);
        assert_eq!(round(63i64), vec![126]);
        assert_eq!(round(-64i64), vec![127]);
        assert_eq!(round(i64::MIN).len(), 10);
        assert_eq!(round(i64::MAX).len(), 10);
        round(-5i8);
        round(u16::MAX);
        round(usize::MAX);
    }

    #[test]
    fn composites_round_trip() {
        round(Some((3u8, false)));
        round(None::<i64>);
        round((1i64, true, Some(Some(2u32))));
    }

    #[test]
    fn index_sets_round_trip_past_63() {
        for set in [vec![], vec![1, 2, 62], vec![5, 63, 64, 200]] {
            let mut out = Vec::new();
            pack_index_set(set.iter().copied(), &mut out);
            let mut input = &out[..];
            let mut back = Vec::new();
            unpack_index_set(&mut input, |i| back.push(i));
            assert_eq!(back, set);
            assert!(input.is_empty());
        }
    }
}
