//! The alternating-bit protocol over lossy FIFO channels, after `AlternatingBit.tla` in
//! Lamport's *Specifying Systems* (chapter 14), on several independent links: a sequence-heavy
//! model (maps of bounded queues), for the benchmark against TLC (`benches/vs_tlc.sh`).
//!
//! ```text
//! cargo run --release --example alternating_bit -- check --config small
//! cargo run --release --example alternating_bit -- tlc --config small
//! ```

/// The alternating-bit protocol.
///
/// On each link, a sender passes a stream of values to a receiver over a channel that may lose messages but
/// never reorders them; acknowledgements come back over a channel of the same kind. The sender
/// tags each new value with the opposite of the previous value's bit and sends it again and
/// again until an acknowledgement carrying that bit arrives; the receiver acknowledges the bit
/// of the last message it took. The queues are bounded by a state constraint (`max_queue`).
///
/// Properties:
/// - `Delivered`: when the receiver's bit equals the sender's, the receiver holds the value the
///   sender is sending (the protocol's correctness: no value is skipped or taken twice).
/// - `StaleFree`: every message in flight with the sender's current bit carries the current
///   value (so the FIFO order keeps stale messages from being taken for new ones).
///
/// Bug zoo: `bug_reordering` lets the message channel deliver any message in flight, not only
/// the oldest, which breaks `StaleFree`.
#[lamport::model]
pub mod alternating_bit {
    use lamport::prelude::*;

    model_values!(Link, Data);

    /// The constants of the model.
    #[constants]
    pub struct Config {
        /// The links, each a sender, a receiver and their two channels.
        pub link: Set<Link>,
        /// The values the sender may send.
        pub data: Set<Data>,
        /// The most messages each queue holds (a state constraint).
        pub max_queue: usize,
        /// Bug zoo: the receiver may take any message in flight, not only the oldest.
        pub bug_reordering: bool,
    }

    #[configs]
    impl Config {
        /// One link, two values, queues of at most two messages.
        pub fn small() -> Self {
            Config {
                link: Link::values(1),
                data: Data::values(2),
                max_queue: 2,
                bug_reordering: false,
            }
        }
        /// Two links, two values, queues of at most three messages: the benchmark
        /// configuration (300,304 distinct states).
        pub fn large() -> Self {
            Config {
                link: Link::values(2),
                data: Data::values(2),
                max_queue: 3,
                bug_reordering: false,
            }
        }
        /// One link, two values, queues of two, and a channel that reorders.
        pub fn bug_reordering() -> Self {
            Config {
                link: Link::values(1),
                data: Data::values(2),
                max_queue: 2,
                bug_reordering: true,
            }
        }
    }

    /// A message: the sender's bit and the value it carries.
    #[derive(Value)]
    pub struct Msg {
        pub bit: bool,
        pub data: Data,
    }

    #[state]
    pub struct State {
        /// `msgQ[l]`: messages in flight to link `l`'s receiver, oldest first.
        #[network("sender" -> "receiver")]
        pub msg_q: Map<Link, Seq<Msg>>,
        /// `ackQ[l]`: acknowledgements in flight to link `l`'s sender, oldest first.
        pub ack_q: Map<Link, Seq<bool>>,
        /// The bit of the value each sender is sending.
        pub s_bit: Map<Link, bool>,
        /// The bit of the last acknowledgement each sender took.
        pub s_ack: Map<Link, bool>,
        /// The bit of the last message each receiver took.
        pub r_bit: Map<Link, bool>,
        /// The value each sender is sending (none before the first).
        pub sent: Map<Link, Option<Data>>,
        /// The value each receiver took last (none before the first).
        pub rcvd: Map<Link, Option<Data>>,
    }

    /// Nothing in flight, all bits equal: each sender may send its first value.
    #[init]
    fn init(c: &Config) -> State {
        State {
            msg_q: c.link.iter().map(|l| (l, Seq::new())).collect(),
            ack_q: c.link.iter().map(|l| (l, Seq::new())).collect(),
            s_bit: c.link.iter().map(|l| (l, false)).collect(),
            s_ack: c.link.iter().map(|l| (l, false)).collect(),
            r_bit: c.link.iter().map(|l| (l, false)).collect(),
            sent: c.link.iter().map(|l| (l, None)).collect(),
            rcvd: c.link.iter().map(|l| (l, None)).collect(),
        }
    }

    /// `q` without its element at position `i`.
    fn remove_msg(q: Seq<Msg>, i: usize) -> Seq<Msg> {
        q.subseq(0, i).concat(&q.subseq(i + 1, q.len()))
    }

    /// `q` without its element at position `i`.
    fn remove_ack(q: Seq<bool>, i: usize) -> Seq<bool> {
        q.subseq(0, i).concat(&q.subseq(i + 1, q.len()))
    }

    /// Link `l`'s last value was acknowledged: its sender sends value `d` with the other bit.
    #[action(name = "SndNewValue", l in c.link, d in c.data)]
    fn snd_new_value(s: &mut State, c: &Config, l: Link, d: Data) {
        require!(s.s_ack[l] == s.s_bit[l]);
        let bit = !s.s_bit[l];
        s.s_bit[l] = bit;
        s.sent[l] = Some(d);
        s.msg_q[l].push(Msg { bit, data: d });
    }

    /// Not acknowledged yet: link `l`'s sender sends its value again.
    #[action(name = "ReSndMsg", l in c.link)]
    fn re_snd_msg(s: &mut State, c: &Config, l: Link) {
        require!(s.s_ack[l] != s.s_bit[l] && s.sent[l].is_some());
        let d = s.sent[l].unwrap();
        let bit = s.s_bit[l];
        s.msg_q[l].push(Msg { bit, data: d });
    }

    /// Link `l`'s receiver takes the oldest message (message `i`, any, in the bug).
    #[action(name = "RcvMsg", l in c.link, i in 0..c.max_queue)]
    fn rcv_msg(s: &mut State, c: &Config, l: Link, i: usize) {
        require!(i < s.msg_q[l].len());
        require!(i == 0 || c.bug_reordering);
        s.r_bit[l] = s.msg_q[l][i].bit;
        s.rcvd[l] = Some(s.msg_q[l][i].data);
        s.msg_q[l] = remove_msg(s.msg_q[l].clone(), i);
    }

    /// Link `l`'s receiver acknowledges the bit of the last message it took.
    #[action(name = "SndAck", l in c.link)]
    fn snd_ack(s: &mut State, c: &Config, l: Link) {
        let bit = s.r_bit[l];
        s.ack_q[l].push(bit);
    }

    /// Link `l`'s sender takes the oldest acknowledgement.
    #[action(name = "RcvAck", l in c.link)]
    fn rcv_ack(s: &mut State, c: &Config, l: Link) {
        require!(!s.ack_q[l].is_empty());
        s.s_ack[l] = s.ack_q[l][0];
        s.ack_q[l] = s.ack_q[l].subseq(1, s.ack_q[l].len());
    }

    /// Link `l`'s message channel loses message `i`.
    #[action(name = "LoseMsg", l in c.link, i in 0..c.max_queue)]
    fn lose_msg(s: &mut State, c: &Config, l: Link, i: usize) {
        require!(i < s.msg_q[l].len());
        s.msg_q[l] = remove_msg(s.msg_q[l].clone(), i);
    }

    /// Link `l`'s acknowledgement channel loses acknowledgement `i`.
    #[action(name = "LoseAck", l in c.link, i in 0..c.max_queue)]
    fn lose_ack(s: &mut State, c: &Config, l: Link, i: usize) {
        require!(i < s.ack_q[l].len());
        s.ack_q[l] = remove_ack(s.ack_q[l].clone(), i);
    }

    /// The queues hold at most `max_queue` messages each.
    #[constraint(name = "BoundedQueues")]
    fn bounded_queues(s: &State, c: &Config) -> bool {
        c.link
            .iter()
            .all(|l| s.msg_q[l].len() <= c.max_queue && s.ack_q[l].len() <= c.max_queue)
    }

    /// When a link's bits agree, its receiver holds the value being sent.
    #[invariant(name = "Delivered")]
    fn delivered(s: &State, c: &Config) -> bool {
        c.link
            .iter()
            .all(|l| s.r_bit[l] != s.s_bit[l] || s.rcvd[l] == s.sent[l])
    }

    /// Every message in flight with its sender's bit carries its sender's value.
    #[invariant(name = "StaleFree")]
    fn stale_free(s: &State, c: &Config) -> bool {
        c.link.iter().all(|l| {
            s.msg_q[l]
                .iter()
                .all(|m| m.bit != s.s_bit[l] || Some(m.data) == s.sent[l])
        })
    }
}

fn main() -> std::process::ExitCode {
    lamport::cli::run(alternating_bit::definition())
}
