// An element in two of the sets is one element of their UNION: counting after `flat_map` is refused.

#[lamport::model]
mod m {
    use lamport::prelude::*;

    model_values!(Rm);

    #[constants]
    pub struct Config {
        pub rm: Set<Rm>,
    }

    #[configs]
    impl Config {
        pub fn small() -> Self {
            Config { rm: Rm::values(2) }
        }
    }

    #[state]
    pub struct State {
        pub done: Set<Rm>,
        pub q: Seq<i64>,
        pub count: i64,
    }

    #[init]
    fn init(c: &Config) -> State {
        State {
            done: Set::new(),
            q: Seq::new(),
            count: 0,
        }
    }

    #[action(rm in c.rm)]
    fn finish(s: &mut State, c: &Config, rm: Rm) {
        require!(!s.done.contains(&rm));
        s.done.insert(rm);
    }

    fn pairs(s: &State, c: &Config) -> usize {
        c.rm.iter().flat_map(|r| s.done.clone()).count()
    }

    #[invariant]
    fn few(s: &State, c: &Config) -> bool {
        pairs(s, c) <= 4
    }
}

fn main() {}
