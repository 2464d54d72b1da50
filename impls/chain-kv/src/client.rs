//! The client: numbers its updates, collects the tail's acknowledgements, and checks each read
//! against them (a read must reflect every update acknowledged before it).

use std::collections::BTreeSet;

use crate::server::Snapshot;
use crate::{Update, UpdateId};

#[derive(Clone, Debug)]
pub struct Client {
    next_id: UpdateId,
    acked: BTreeSet<UpdateId>,
    seen: BTreeSet<UpdateId>,
    reads_consistent: bool,
}

impl Default for Client {
    fn default() -> Self {
        Client {
            next_id: 1,
            acked: BTreeSet::new(),
            seen: BTreeSet::new(),
            reads_consistent: true,
        }
    }
}

impl Client {
    pub fn new() -> Self {
        Client::default()
    }

    /// The number the next update gets.
    pub fn next_id(&self) -> UpdateId {
        self.next_id
    }

    /// A new update, numbered.
    pub fn new_update(&mut self, key: &str, value: &str) -> Update {
        let id = self.next_id;
        self.next_id += 1;
        Update {
            id,
            key: key.to_string(),
            value: value.to_string(),
        }
    }

    /// Records the tail's acknowledgement; false if it was acknowledged already.
    pub fn on_ack(&mut self, id: UpdateId) -> bool {
        self.acked.insert(id)
    }

    /// Records what a read returned; false if it missed an acknowledged update.
    pub fn on_read(&mut self, snapshot: &Snapshot) -> bool {
        let applied: BTreeSet<UpdateId> = snapshot.applied.iter().copied().collect();
        let complete = self.acked.is_subset(&applied);
        self.reads_consistent &= complete;
        self.seen.extend(applied);
        complete
    }

    /// The updates acknowledged so far.
    pub fn acked(&self) -> &BTreeSet<UpdateId> {
        &self.acked
    }

    /// Every update some read reflected.
    pub fn seen(&self) -> &BTreeSet<UpdateId> {
        &self.seen
    }

    /// Whether every read so far reflected every update acknowledged before it.
    pub fn reads_consistent(&self) -> bool {
        self.reads_consistent
    }
}
