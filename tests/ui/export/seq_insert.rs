// A `Seq` grows at its end: `insert` points at `push` and `append` (TLA+ `Append`).

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

    #[action]
    fn take(s: &mut State, c: &Config) {
        require!(!s.q.is_empty());
        s.q.insert(0, 1);
    }
}

fn main() {}
