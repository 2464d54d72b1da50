// require_witnesses! counts an action's successors: not in an invariant.

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

    #[action]
    fn tick(s: &mut State, c: &Config) {
        require!(s.count < 3);
        s.count += 1;
    }

    #[invariant]
    fn bounded(s: &State, c: &Config) -> bool {
        require_witnesses!(s.count <= 3);
        s.done.is_subset(&c.rm)
    }
}

fn main() {}
