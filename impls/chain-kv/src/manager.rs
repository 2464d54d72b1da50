//! The chain manager (the paper's master): the chain's membership, and what changes when a
//! server is removed.

use crate::{Error, ServerId};

/// What removing a server changes for its neighbours.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reconfiguration {
    pub removed: ServerId,
    pub predecessor: Option<ServerId>,
    pub successor: Option<ServerId>,
}

/// The chain, head first.
#[derive(Clone, Debug)]
pub struct ChainManager {
    chain: Vec<ServerId>,
    failures: u32,
}

impl ChainManager {
    /// The chain `1..=n`.
    pub fn new(servers: u32) -> Self {
        ChainManager {
            chain: (1..=servers).map(ServerId).collect(),
            failures: 0,
        }
    }

    /// The live servers, head first.
    pub fn chain(&self) -> &[ServerId] {
        &self.chain
    }

    pub fn head(&self) -> ServerId {
        self.chain[0]
    }

    pub fn tail(&self) -> ServerId {
        self.chain[self.chain.len() - 1]
    }

    /// Servers removed so far.
    pub fn failures(&self) -> u32 {
        self.failures
    }

    pub fn contains(&self, s: ServerId) -> bool {
        self.chain.contains(&s)
    }

    /// Removes crashed server `s` and says who its neighbours were.
    pub fn remove(&mut self, s: ServerId) -> Result<Reconfiguration, Error> {
        let at = self
            .chain
            .iter()
            .position(|&c| c == s)
            .ok_or(Error::Crashed(s))?;
        if self.chain.len() == 1 {
            return Err(Error::LastServer(s));
        }
        self.chain.remove(at);
        self.failures += 1;
        Ok(Reconfiguration {
            removed: s,
            predecessor: at.checked_sub(1).map(|p| self.chain[p]),
            successor: self.chain.get(at).copied(),
        })
    }
}
