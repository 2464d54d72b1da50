// A temporal property's parameters range over constants, not over a state.

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
        pub count: i64,
    }

    #[init]
    fn init(c: &Config) -> State {
        State {
            done: Set::new(),
            count: 0,
        }
    }

    #[action(rm in c.rm)]
    fn finish(s: &mut State, c: &Config, rm: Rm) {
        require!(!s.done.contains(&rm));
        s.done.insert(rm);
    }

    fn all_done(s: &State, c: &Config) -> bool {
        s.done == c.rm
    }

    fn rm_done(s: &State, rm: Rm) -> bool {
        s.done.contains(&rm)
    }

    #[invariant]
    fn bounded(s: &State, c: &Config) -> bool {
        s.done.is_subset(&c.rm)
    }

    #[eventually(rm in s.done)]
    fn finishes(s: &State, rm: Rm) -> bool {
        s.done.contains(&rm)
    }
}

fn main() {}
