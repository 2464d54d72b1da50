// A helper that maps an abstract name takes only the state and the constants.

#[lamport::model]
pub mod abs {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub limit: i64,
    }

    #[configs]
    impl Config {
        pub fn small() -> Self {
            Config { limit: 2 }
        }
    }

    #[state]
    pub struct State {
        pub x: i64,
    }

    #[init]
    fn init() -> State {
        State { x: 0 }
    }

    #[action]
    fn step(s: &mut State, c: &Config) {
        require!(s.x < c.limit);
        s.x += 1;
    }
}

#[lamport::model]
#[refines(crate::abs, x = plus)]
pub mod m {
    use lamport::prelude::*;

    #[constants]
    pub struct Config {
        pub limit: i64,
    }

    #[configs]
    impl Config {
        pub fn small() -> Self {
            Config { limit: 2 }
        }
    }

    #[state]
    pub struct State {
        pub count: i64,
    }

    #[init]
    fn init() -> State {
        State { count: 0 }
    }

    #[action]
    fn step(s: &mut State, c: &Config) {
        require!(s.count < c.limit);
        s.count += 1;
    }

    fn plus(s: &State, k: i64) -> i64 {
        s.count + k
    }
}

fn main() {}
