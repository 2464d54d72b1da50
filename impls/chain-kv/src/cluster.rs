//! A whole store: servers, the chain manager, the client and the network between them, driven
//! one step at a time.

use std::collections::BTreeMap;

use serde_json::json;

use crate::client::Client;
use crate::log::{fields, EventLog};
use crate::manager::ChainManager;
use crate::network::{Endpoint, EnvelopeId, Message, Network};
use crate::server::{Server, Snapshot};
use crate::{Bug, Error, Options, ServerId, UpdateId};

/// A step a scheduler may choose: what [`Cluster::possible_operations`] lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// The client writes (to the head).
    ClientUpdate,
    /// A server sends its next update to its successor.
    Forward(ServerId),
    /// A message in flight arrives.
    Deliver(EnvelopeId),
    /// A datagram in flight is lost.
    Lose(EnvelopeId),
    /// The client reads.
    Read,
    /// A server crashes.
    Crash(ServerId),
}

/// What a read returned, and from where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadResult {
    pub server: ServerId,
    pub snapshot: Snapshot,
    /// Whether it reflected every update acknowledged before it.
    pub consistent: bool,
}

/// The store.
#[derive(Clone, Debug)]
pub struct Cluster {
    servers: BTreeMap<ServerId, Server>,
    manager: ChainManager,
    client: Client,
    network: Network,
    bug: Option<Bug>,
    log: EventLog,
}

fn ids<I: IntoIterator<Item = u64>>(xs: I) -> serde_json::Value {
    json!(xs.into_iter().collect::<Vec<_>>())
}

impl Cluster {
    /// A chain of `opts.servers` servers, all empty.
    pub fn new(opts: &Options) -> Self {
        assert!(opts.servers >= 1, "a chain has at least one server");
        let manager = ChainManager::new(opts.servers);
        let chain = manager.chain().to_vec();
        let servers = chain
            .iter()
            .enumerate()
            .map(|(i, &s)| (s, Server::new(s, chain.get(i + 1).copied(), opts.bug)))
            .collect();
        let mut cluster = Cluster {
            servers,
            manager,
            client: Client::new(),
            network: Network::new(),
            bug: opts.bug,
            log: EventLog::new(),
        };
        let alive = cluster.alive_json();
        cluster.log.observe(fields([
            ("alive", alive),
            ("failures", json!(0)),
            ("next_update", json!(1)),
        ]));
        cluster
    }

    fn alive_json(&self) -> serde_json::Value {
        json!(self.manager.chain().iter().map(|s| s.0).collect::<Vec<_>>())
    }

    fn server_mut(&mut self, s: ServerId) -> Result<&mut Server, Error> {
        self.servers.get_mut(&s).ok_or(Error::UnknownServer(s))
    }

    /// Server `s`.
    pub fn server(&self, s: ServerId) -> Option<&Server> {
        self.servers.get(&s)
    }

    /// Every server, crashed ones included.
    pub fn servers(&self) -> impl Iterator<Item = &Server> {
        self.servers.values()
    }

    /// The live servers, head first.
    pub fn chain(&self) -> &[ServerId] {
        self.manager.chain()
    }

    pub fn manager(&self) -> &ChainManager {
        &self.manager
    }

    pub fn client(&self) -> &Client {
        &self.client
    }

    pub fn network(&self) -> &Network {
        &self.network
    }

    /// The events recorded so far.
    pub fn log(&self) -> &EventLog {
        &self.log
    }

    /// The client writes `key = value`: the head applies the update (and, if it is also the
    /// tail, acknowledges it).
    pub fn client_update(&mut self, key: &str, value: &str) -> Result<UpdateId, Error> {
        let head = self.manager.head();
        let update = self.client.new_update(key, value);
        let id = update.id;
        let server = self
            .servers
            .get_mut(&head)
            .ok_or(Error::UnknownServer(head))?;
        server.apply(update, &mut self.network)?;
        let hist = ids(server.applied());
        self.log.step(
            "ClientUpdate",
            fields([]),
            fields([
                ("next_update", json!(self.client.next_id())),
                (&format!("hist[{}]", head.0), hist),
            ]),
        );
        Ok(id)
    }

    /// Server `s` sends its next update to its successor.
    pub fn forward(&mut self, s: ServerId) -> Result<UpdateId, Error> {
        let server = self.servers.get_mut(&s).ok_or(Error::UnknownServer(s))?;
        let id = server.forward_next(&mut self.network)?;
        let sent = server.forwarded();
        self.log.step(
            "Forward",
            fields([("n", json!(s.0))]),
            fields([(&format!("sent[{}]", s.0), json!(sent))]),
        );
        Ok(id)
    }

    /// Delivers message `e`: an update is applied by the server it is for; an acknowledgement
    /// is recorded by the client.
    pub fn deliver(&mut self, e: EnvelopeId) -> Result<(), Error> {
        let envelope = self.network.take(e)?;
        match (envelope.to, envelope.message) {
            (Endpoint::Server(s), Message::Update(update)) => {
                let server = self.servers.get_mut(&s).ok_or(Error::UnknownServer(s))?;
                server.apply(update, &mut self.network)?;
                let hist = ids(server.applied());
                self.log.step(
                    "Receive",
                    fields([("n", json!(s.0))]),
                    fields([(&format!("hist[{}]", s.0), hist)]),
                );
            }
            (Endpoint::Client, Message::Ack(u)) => {
                if self.client.on_ack(u) {
                    let acked = ids(self.client.acked().iter().copied());
                    self.log.step(
                        "TailAck",
                        fields([("u", json!(u))]),
                        fields([("acked", acked)]),
                    );
                }
            }
            (to, message) => unreachable!("{message:?} is never sent to {to:?}"),
        }
        Ok(())
    }

    /// Delivers the oldest update in flight to server `s`.
    pub fn deliver_next_to(&mut self, s: ServerId) -> Result<UpdateId, Error> {
        let deliverable = self.network.deliverable();
        let (id, update) = self
            .network
            .in_flight_to(Endpoint::Server(s))
            .find(|e| deliverable.contains(&e.id))
            .and_then(|e| match &e.message {
                Message::Update(u) => Some((e.id, u.id)),
                Message::Ack(_) => None,
            })
            .ok_or(Error::NothingInFlight(s))?;
        self.deliver(id)?;
        Ok(update)
    }

    /// Delivers an acknowledgement of update `u` to the client.
    pub fn deliver_ack(&mut self, u: UpdateId) -> Result<(), Error> {
        let id = self
            .network
            .in_flight_to(Endpoint::Client)
            .find(|e| e.message == Message::Ack(u))
            .map(|e| e.id)
            .ok_or(Error::NoAckInFlight(u))?;
        self.deliver(id)
    }

    /// Loses datagram `e`.
    pub fn lose(&mut self, e: EnvelopeId) -> Result<(), Error> {
        self.network.lose(e)
    }

    /// The client reads from the tail.
    pub fn client_read(&mut self) -> Result<ReadResult, Error> {
        let server = match self.bug {
            Some(Bug::ReadFromHead) => self.manager.head(),
            _ => self.manager.tail(),
        };
        let snapshot = self.server_mut(server)?.read()?;
        let consistent = self.client.on_read(&snapshot);
        let seen = ids(self.client.seen().iter().copied());
        self.log.step(
            "Read",
            fields([("n", json!(server.0))]),
            fields([
                ("read_seen", seen),
                ("reads_ok", json!(self.client.reads_consistent())),
            ]),
        );
        Ok(ReadResult {
            server,
            snapshot,
            consistent,
        })
    }

    /// Server `s` crashes; the chain manager removes it and tells its neighbours.
    pub fn crash(&mut self, s: ServerId) -> Result<(), Error> {
        if !self.servers.contains_key(&s) {
            return Err(Error::UnknownServer(s));
        }
        let change = self.manager.remove(s)?;
        self.server_mut(s)?.crash();
        self.network.disconnect(Endpoint::Server(s));
        let mut state = fields([
            ("alive", self.alive_json()),
            ("failures", json!(self.manager.failures())),
        ]);
        match (change.predecessor, change.successor) {
            (Some(p), Some(m)) => {
                let has = self.server_mut(m)?.applied_len();
                let pred = self.server_mut(p)?;
                pred.adopt_successor(m, has);
                state.insert(format!("sent[{}]", p.0), json!(pred.forwarded()));
            }
            (Some(p), None) => {
                let pred = self.servers.get_mut(&p).ok_or(Error::UnknownServer(p))?;
                pred.become_tail(&mut self.network);
            }
            // A new head needs no news: it accepts whatever the client sends it.
            (None, _) => {}
        }
        self.log.step("Crash", fields([("n", json!(s.0))]), state);
        Ok(())
    }

    /// Every step possible now (updates and reads always are; a scheduler bounds them).
    pub fn possible_operations(&self) -> Vec<Operation> {
        let mut ops = vec![Operation::ClientUpdate, Operation::Read];
        for &s in self.manager.chain() {
            let server = &self.servers[&s];
            if !server.is_tail() && server.forwarded() < server.applied_len() {
                ops.push(Operation::Forward(s));
            }
        }
        for e in self.network.deliverable() {
            ops.push(Operation::Deliver(e));
        }
        for e in self.network.in_flight() {
            if !e.is_ordered() {
                ops.push(Operation::Lose(e.id));
            }
        }
        if self.manager.chain().len() > 1 {
            ops.extend(self.manager.chain().iter().map(|&s| Operation::Crash(s)));
        }
        ops
    }

    /// Carries out `op` (writes set key `k` to the update's number).
    pub fn perform(&mut self, op: Operation) -> Result<(), Error> {
        match op {
            Operation::ClientUpdate => {
                let n = self.client.next_id();
                self.client_update("k", &n.to_string()).map(drop)
            }
            Operation::Forward(s) => self.forward(s).map(drop),
            Operation::Deliver(e) => self.deliver(e),
            Operation::Lose(e) => self.lose(e),
            Operation::Read => self.client_read().map(drop),
            Operation::Crash(s) => self.crash(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(n: u32) -> ServerId {
        ServerId(n)
    }

    #[test]
    fn an_update_travels_down_the_chain_and_is_acknowledged() {
        let mut c = Cluster::new(&Options::default());
        assert_eq!(c.client_update("x", "1"), Ok(1));
        assert_eq!(c.forward(s(1)), Ok(1));
        assert_eq!(c.forward(s(1)), Err(Error::NothingToForward(s(1))));
        assert_eq!(c.deliver_next_to(s(2)), Ok(1));
        assert_eq!(c.forward(s(2)), Ok(1));
        assert_eq!(c.deliver_next_to(s(3)), Ok(1));
        assert_eq!(c.deliver_ack(1), Ok(()));
        let read = c.client_read().unwrap();
        assert_eq!(read.server, s(3));
        assert_eq!(
            read.snapshot.entries.get("x").map(String::as_str),
            Some("1")
        );
        assert!(read.consistent);
        assert_eq!(c.log().lines().len(), 1 + 7);
    }

    #[test]
    fn a_middle_crash_makes_the_predecessor_resend() {
        let mut c = Cluster::new(&Options::default());
        c.client_update("x", "1").unwrap();
        c.client_update("x", "2").unwrap();
        c.forward(s(1)).unwrap();
        c.crash(s(2)).unwrap();
        assert_eq!(c.chain(), &[s(1), s(3)]);
        assert_eq!(c.server(s(1)).unwrap().forwarded(), 0);
        assert_eq!(c.forward(s(1)), Ok(1));
        assert_eq!(c.deliver_next_to(s(3)), Ok(1));
    }

    #[test]
    fn without_resend_the_new_successor_misses_an_update() {
        let mut c = Cluster::new(&Options {
            servers: 3,
            bug: Some(Bug::NoResend),
        });
        c.client_update("x", "1").unwrap();
        c.client_update("x", "2").unwrap();
        c.forward(s(1)).unwrap();
        c.crash(s(2)).unwrap();
        assert_eq!(c.forward(s(1)), Ok(2), "update 1 is skipped");
    }

    #[test]
    fn a_new_tail_acknowledges_what_it_holds() {
        let mut c = Cluster::new(&Options::default());
        c.client_update("x", "1").unwrap();
        c.forward(s(1)).unwrap();
        c.deliver_next_to(s(2)).unwrap();
        c.crash(s(3)).unwrap();
        assert_eq!(c.deliver_ack(1), Ok(()));
        assert_eq!(c.client().acked().len(), 1);
        assert_eq!(c.crash(s(1)), Ok(()));
        assert_eq!(c.crash(s(2)), Err(Error::LastServer(s(2))));
    }
}
