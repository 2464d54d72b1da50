//! A chain server: applies updates in the order it receives them, forwards them to its
//! successor, and, as the tail, acknowledges them and serves reads.

use std::collections::BTreeMap;

use crate::network::{Endpoint, Message, Network};
use crate::{Bug, Error, ServerId, Update, UpdateId};

/// What a read returns: the store, and the updates it reflects.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Snapshot {
    pub entries: BTreeMap<String, String>,
    /// The updates applied, in order.
    pub applied: Vec<UpdateId>,
}

/// One server of the chain.
#[derive(Clone, Debug)]
pub struct Server {
    id: ServerId,
    /// Every update applied, in order: the history reads reflect, and what a new successor
    /// is resent from.
    log: Vec<Update>,
    store: BTreeMap<String, String>,
    successor: Option<ServerId>,
    /// How many entries of `log` have been sent to `successor`.
    forwarded: usize,
    crashed: bool,
    bug: Option<Bug>,
}

impl Server {
    /// A server with an empty store; the tail when `successor` is `None`.
    pub fn new(id: ServerId, successor: Option<ServerId>, bug: Option<Bug>) -> Self {
        Server {
            id,
            log: Vec::new(),
            store: BTreeMap::new(),
            successor,
            forwarded: 0,
            crashed: false,
            bug,
        }
    }

    pub fn id(&self) -> ServerId {
        self.id
    }

    pub fn is_crashed(&self) -> bool {
        self.crashed
    }

    pub fn is_tail(&self) -> bool {
        self.successor.is_none()
    }

    pub fn successor(&self) -> Option<ServerId> {
        self.successor
    }

    /// The updates applied, in order.
    pub fn applied(&self) -> impl Iterator<Item = UpdateId> + '_ {
        self.log.iter().map(|u| u.id)
    }

    pub fn applied_len(&self) -> usize {
        self.log.len()
    }

    /// How many updates of the log have been sent to the successor.
    pub fn forwarded(&self) -> usize {
        self.forwarded
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.store.get(key).map(String::as_str)
    }

    fn check_up(&self) -> Result<(), Error> {
        if self.crashed {
            Err(Error::Crashed(self.id))
        } else {
            Ok(())
        }
    }

    /// Applies `update` (a client's, at the head; a predecessor's, elsewhere). The tail
    /// acknowledges it to the client.
    pub fn apply(&mut self, update: Update, net: &mut Network) -> Result<(), Error> {
        self.check_up()?;
        self.store.insert(update.key.clone(), update.value.clone());
        let id = update.id;
        self.log.push(update);
        if self.is_tail() {
            net.send(
                Endpoint::Server(self.id),
                Endpoint::Client,
                Message::Ack(id),
            );
        }
        Ok(())
    }

    /// Sends the next update the successor has not been sent.
    pub fn forward_next(&mut self, net: &mut Network) -> Result<UpdateId, Error> {
        self.check_up()?;
        let to = self.successor.ok_or(Error::NoSuccessor(self.id))?;
        let update = self
            .log
            .get(self.forwarded)
            .cloned()
            .ok_or(Error::NothingToForward(self.id))?;
        let id = update.id;
        net.send(
            Endpoint::Server(self.id),
            Endpoint::Server(to),
            Message::Update(update),
        );
        self.forwarded += 1;
        Ok(id)
    }

    /// The chain manager's news that `successor` follows this server now, and has applied the
    /// first `successor_applied` updates of this server's log: the rest must be (re)sent.
    pub fn adopt_successor(&mut self, successor: ServerId, successor_applied: usize) {
        self.successor = Some(successor);
        if self.bug != Some(Bug::NoResend) {
            self.forwarded = successor_applied.min(self.log.len());
        }
    }

    /// The chain manager's news that this server is the tail now: it acknowledges every update
    /// it holds (the client ignores those it had acknowledged already).
    pub fn become_tail(&mut self, net: &mut Network) {
        self.successor = None;
        for u in &self.log {
            net.send(
                Endpoint::Server(self.id),
                Endpoint::Client,
                Message::Ack(u.id),
            );
        }
    }

    /// Serves a read.
    pub fn read(&self) -> Result<Snapshot, Error> {
        self.check_up()?;
        Ok(Snapshot {
            entries: self.store.clone(),
            applied: self.applied().collect(),
        })
    }

    /// Stops for good.
    pub fn crash(&mut self) {
        self.crashed = true;
    }
}
