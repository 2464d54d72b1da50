//! The generator's source of randomness: proptest strategies drawn from a seeded runner, one
//! runner per model, so that model `i` of seed `s` is the same whatever else is generated.

use proptest::strategy::{Strategy, ValueTree};
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

/// Draws values from proptest strategies with a deterministic ChaCha generator.
pub struct Draw {
    runner: TestRunner,
}

impl Draw {
    /// The generator of model `index` in the batch of `seed`.
    pub fn new(seed: u64, index: u64) -> Draw {
        let mut bytes = [0u8; 32];
        bytes[..8].copy_from_slice(&seed.to_le_bytes());
        bytes[8..16].copy_from_slice(&index.to_le_bytes());
        bytes[16..24].copy_from_slice(b"lamport!");
        let rng = TestRng::from_seed(RngAlgorithm::ChaCha, &bytes);
        Draw {
            runner: TestRunner::new_with_rng(
                Config {
                    failure_persistence: None,
                    ..Config::default()
                },
                rng,
            ),
        }
    }

    /// One value of `strategy` (no shrinking: the generator is a deterministic function of the
    /// seed, and a failing model is written out whole).
    pub fn value<S: Strategy>(&mut self, strategy: S) -> S::Value {
        strategy
            .new_tree(&mut self.runner)
            .expect("a generator strategy never rejects")
            .current()
    }

    /// A number in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        assert!(n > 0, "drawing from an empty range");
        self.value(0..n)
    }

    /// `true` with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.value(proptest::bool::weighted(p))
    }

    /// A number in `lo..=hi`.
    pub fn int(&mut self, lo: i64, hi: i64) -> i64 {
        self.value(lo..=hi)
    }

    /// One element of a non-empty slice.
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }

    /// An index drawn with the given relative weights (at least one positive).
    pub fn weighted(&mut self, weights: &[u32]) -> usize {
        let total: u32 = weights.iter().sum();
        assert!(total > 0, "all weights are zero");
        let mut x = self.value(0..total);
        for (i, w) in weights.iter().enumerate() {
            if x < *w {
                return i;
            }
            x -= w;
        }
        unreachable!()
    }

    /// The elements of `xs` in a random order.
    pub fn shuffled<T: Clone>(&mut self, xs: &[T]) -> Vec<T> {
        let mut v = xs.to_vec();
        for i in (1..v.len()).rev() {
            let j = self.below(i + 1);
            v.swap(i, j);
        }
        v
    }
}
