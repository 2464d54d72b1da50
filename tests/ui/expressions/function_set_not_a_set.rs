// A function set whose domain is a number: `[S -> T]` takes sets.

#[lamport::model]
mod m {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub n: i64,
    }

    #[configs]
    impl Config {
        pub fn small() -> Self {
            Config { n: 2 }
        }
    }

    #[state]
    pub struct State {
        pub f: Map<i64, bool>,
    }

    #[init(f in Map::functions(c.n, [false, true]))]
    fn init(c: &Config, f: Map<i64, bool>) -> State {
        State { f }
    }

    #[action]
    fn flip(s: &mut State) {
        require!(s.f[&1]);
        s.f[&1] = false;
    }
}

fn main() {}
