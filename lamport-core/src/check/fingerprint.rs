//! A state's fingerprint: a 64-bit hash of its packed bytes, with fixed seeds so that runs are
//! reproducible. Under symmetry it is the least fingerprint of the state's images under the
//! whole permutation group: the same for every state of an orbit, so the search counts orbits,
//! as TLC does.

use crate::model::Model;
use crate::pack::Pack;
use crate::value::Permutation;

use super::fpset::nonzero;

pub(crate) struct Fingerprinter<'m, M: Model> {
    model: &'m M,
    /// The group's permutations other than the identity.
    perms: Vec<Permutation>,
    hasher: ahash::RandomState,
}

impl<'m, M: Model> Fingerprinter<'m, M> {
    pub fn new(model: &'m M) -> Self {
        Fingerprinter {
            model,
            // The identity's image is the state itself, whose packed bytes `of` is given.
            perms: model
                .symmetries()
                .into_iter()
                .filter(|p| !p.is_identity())
                .collect(),
            hasher: ahash::RandomState::with_seeds(
                0x243f_6a88_85a3_08d3,
                0x1319_8a2e_0370_7344,
                0xa409_3822_299f_31d0,
                0x082e_fa98_ec4e_6c89,
            ),
        }
    }

    /// The fingerprint of packed bytes (never 0: see `fpset`).
    #[inline]
    fn of_bytes(&self, bytes: &[u8]) -> u64 {
        nonzero(self.hasher.hash_one(bytes))
    }

    /// The fingerprint of `state`, whose packed form is `packed`; `scratch` is room for the
    /// packed images under symmetry.
    #[inline]
    pub fn of(&self, state: &M::State, packed: &[u8], scratch: &mut Vec<u8>) -> u64 {
        let own = self.of_bytes(packed);
        self.perms
            .iter()
            .map(|p| {
                scratch.clear();
                self.model.pack_permuted(state, p, scratch);
                debug_assert!(
                    {
                        let mut built = Vec::new();
                        self.model.permute(state, p).pack(&mut built);
                        built == *scratch
                    },
                    "the packed image of a state under a permutation is not the packed permuted state (lamport bug)"
                );
                self.of_bytes(scratch)
            })
            .fold(own, u64::min)
    }

    /// The fingerprint of `state` (packing it first).
    pub fn of_state(&self, state: &M::State) -> u64 {
        let mut packed = Vec::new();
        state.pack(&mut packed);
        self.of(state, &packed, &mut Vec::new())
    }
}
