// A step property relates the states before and after a step.

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

    #[step_property]
    fn grows(s: &State) -> bool {
        s.count >= 0
    }

    #[invariant]
    fn bounded(s: &State, c: &Config) -> bool {
        s.done.is_subset(&c.rm) && s.count <= 3
    }
}

fn main() {}
