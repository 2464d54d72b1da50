// A local is a `LET` name in TLA+: it cannot be assigned again.

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
    fn tick(s: &mut State, c: &Config) {
        let mut n = s.count;
        n = n + 1;
        s.count = n;
    }
}

fn main() {}
