//! The set of visited states: 64-bit fingerprints in open-addressing tables.
//!
//! The set is split into [`SHARDS`] tables by the fingerprint's top bits. While a level is
//! expanded every thread reads all of them (nothing writes); while its new states are
//! deduplicated each table belongs to one thread, which inserts in the order a sequential
//! search would. So no lock and no atomic operation is needed, and a table grows on its own,
//! without stopping the others: at most one table is copied at a time.
//!
//! A table is one `Vec<u64>` with linear probing; 0 marks an empty slot (a fingerprint 0 is
//! stored as 1, see [`nonzero`]). A fingerprint's home slot is its low bits scaled to the
//! table's size, so a table can have any size: it grows by half when three quarters full,
//! keeping between 10.7 and 16 bytes per fingerprint.

/// The number of tables (a power of two): enough for several threads to share the
/// deduplication of a level, and for growth to copy a small part of the set at a time.
pub const SHARDS: usize = 256;
const SHARD_SHIFT: u32 = 64 - SHARDS.trailing_zeros();

/// Smallest table size.
const MIN_SLOTS: usize = 64;

/// Which table holds `fp`.
#[inline]
pub fn shard_of(fp: u64) -> usize {
    (fp >> SHARD_SHIFT) as usize
}

/// The fingerprint as stored: never 0, which marks an empty slot. (Fingerprints 0 and 1 are
/// one state; for a uniform hash that is as likely as any other collision.)
#[inline]
pub fn nonzero(fp: u64) -> u64 {
    fp.max(1)
}

/// One table.
#[derive(Default)]
pub struct Table {
    slots: Vec<u64>,
    len: usize,
}

impl Table {
    #[inline]
    fn home(&self, fp: u64) -> usize {
        // The low 32 bits, scaled to the size (the top bits chose the table).
        ((u64::from(fp as u32) * self.slots.len() as u64) >> 32) as usize
    }

    /// Asks the processor to start loading the slot where a lookup of `fp` begins.
    #[inline]
    pub fn prefetch(&self, fp: u64) {
        if self.slots.is_empty() {
            return;
        }
        let slot: *const u64 = &self.slots[self.home(fp)];
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint; it never faults, and the address is a valid slot.
        unsafe {
            std::arch::x86_64::_mm_prefetch::<{ std::arch::x86_64::_MM_HINT_T0 }>(slot.cast());
        }
        #[cfg(not(target_arch = "x86_64"))]
        let _ = slot;
    }

    /// Whether `fp` (as [`nonzero`] returns it) is in the table.
    #[inline]
    pub fn contains(&self, fp: u64) -> bool {
        if self.len == 0 {
            return false;
        }
        let n = self.slots.len();
        let mut i = self.home(fp);
        loop {
            let s = self.slots[i];
            if s == fp {
                return true;
            }
            if s == 0 {
                return false;
            }
            i += 1;
            if i == n {
                i = 0;
            }
        }
    }

    /// Adds `fp` (as [`nonzero`] returns it); whether it was new.
    #[inline]
    pub fn insert(&mut self, fp: u64) -> bool {
        if (self.len + 1) * 4 > self.slots.len() * 3 {
            self.grow();
        }
        let n = self.slots.len();
        let mut i = self.home(fp);
        loop {
            let s = self.slots[i];
            if s == fp {
                return false;
            }
            if s == 0 {
                self.slots[i] = fp;
                self.len += 1;
                return true;
            }
            i += 1;
            if i == n {
                i = 0;
            }
        }
    }

    #[cold]
    fn grow(&mut self) {
        let size = (self.slots.len() + self.slots.len() / 2).max(MIN_SLOTS);
        let old = std::mem::replace(&mut self.slots, vec![0; size]);
        self.len = 0;
        for fp in old.into_iter().filter(|&fp| fp != 0) {
            let mut i = self.home(fp);
            while self.slots[i] != 0 {
                i += 1;
                if i == size {
                    i = 0;
                }
            }
            self.slots[i] = fp;
            self.len += 1;
        }
    }

    /// The number of fingerprints.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the table holds no fingerprint.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The bytes its slots take.
    pub fn bytes(&self) -> usize {
        self.slots.len() * std::mem::size_of::<u64>()
    }

    /// Its size in slots after `more` insertions of new fingerprints, and its size before
    /// the last growth they cause.
    fn slots_after(&self, more: usize) -> (usize, usize) {
        let (mut size, mut before) = (self.slots.len(), self.slots.len());
        while (self.len + more) * 4 > size * 3 {
            before = size;
            size = (size + size / 2).max(MIN_SLOTS);
        }
        (size, before)
    }
}

/// The visited set: [`SHARDS`] tables.
pub struct FpSet {
    pub tables: Vec<Table>,
}

impl Default for FpSet {
    fn default() -> Self {
        FpSet {
            tables: (0..SHARDS).map(|_| Table::default()).collect(),
        }
    }
}

impl FpSet {
    /// Starts loading the slot where a lookup of `fp` begins (see [`Table::prefetch`]).
    #[inline]
    pub fn prefetch(&self, fp: u64) {
        self.tables[shard_of(fp)].prefetch(fp);
    }

    /// Whether `fp` (as [`nonzero`] returns it) was visited.
    #[inline]
    pub fn contains(&self, fp: u64) -> bool {
        self.tables[shard_of(fp)].contains(fp)
    }

    /// Adds `fp` (as [`nonzero`] returns it); whether it was new. (Single-threaded use; the
    /// search inserts through the tables, one thread per table.)
    pub fn insert(&mut self, fp: u64) -> bool {
        self.tables[shard_of(fp)].insert(fp)
    }

    /// The number of fingerprints.
    pub fn len(&self) -> usize {
        self.tables.iter().map(Table::len).sum()
    }

    /// Whether no state was visited.
    pub fn is_empty(&self) -> bool {
        self.tables.iter().all(Table::is_empty)
    }

    /// The bytes the tables take.
    pub fn bytes(&self) -> usize {
        self.tables.iter().map(Table::bytes).sum()
    }

    /// An upper bound of the bytes the process may grow by when `n` more fingerprints arrive,
    /// spread evenly: what the tables keep more, and, once, the largest table's old slots,
    /// which live on while they are copied into the new ones (tables grow one at a time on
    /// each of `threads`).
    pub fn growth_for(&self, n: usize, threads: usize) -> usize {
        let per_table = n.div_ceil(SHARDS);
        let (mut kept, mut transient) = (0, 0);
        for t in &self.tables {
            let (after, before) = t.slots_after(per_table);
            kept += (after - t.slots.len()) * 8;
            if after > t.slots.len() {
                transient = transient.max(before * 8);
            }
        }
        kept + transient * threads
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inserts_and_finds_across_growth() {
        let mut set = FpSet::default();
        let fps: Vec<u64> = (1..200_000u64)
            .map(|i| nonzero(i.wrapping_mul(0x9e37_79b9_7f4a_7c15)))
            .collect();
        for &fp in &fps {
            assert!(set.insert(fp));
        }
        for &fp in &fps {
            assert!(!set.insert(fp));
            assert!(set.contains(fp));
        }
        assert!(!set.contains(nonzero(12345)));
        assert_eq!(set.len(), fps.len());
        let per = set.bytes() as f64 / fps.len() as f64;
        assert!((10.0..=17.0).contains(&per), "{per} bytes per fingerprint");
    }

    #[test]
    fn zero_is_stored_as_one() {
        let mut set = FpSet::default();
        assert!(set.insert(nonzero(0)));
        assert!(set.contains(nonzero(1)));
    }
}
