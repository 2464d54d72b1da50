//! Where the search keeps what grows with the state space, other than the visited set: the
//! packed states of a level (the frontier) and, per distinct state, its fingerprint and its
//! parent (to rebuild traces). Both stay in memory up to a size, then continue in files,
//! written and read in large sequential blocks, as TLC keeps its queue and trace on disk.

use std::fs::File;
use std::io::{BufReader, BufWriter, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::pack::{read_len, write_len};

/// A file of the search, removed when dropped.
struct SpillFile {
    path: PathBuf,
}

impl SpillFile {
    fn create(dir: &Path, what: &str) -> std::io::Result<(SpillFile, File)> {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!("lamport-{}-{what}-{n}.bin", std::process::id()));
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create_new(true)
            .open(&path)?;
        Ok((SpillFile { path }, file))
    }
}

impl Drop for SpillFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

/// Where files go, and how much stays in memory first.
#[derive(Clone, Debug)]
pub(crate) struct SpillPolicy {
    pub dir: PathBuf,
    /// Bytes a level, and the node records, keep in memory before they continue on disk.
    pub in_memory: u64,
}

/// An I/O error of a spill file, said in a sentence for the report.
pub(crate) fn io_reason(e: &std::io::Error, what: &str, dir: &Path) -> String {
    format!("cannot write the {what} to {}: {e}", dir.display())
}

/// The packed states of one level, in order: each as its length and its bytes.
pub(crate) struct Level {
    count: u64,
    mem: Vec<u8>,
    disk: Option<(SpillFile, BufWriter<File>)>,
    disk_bytes: u64,
}

impl Level {
    pub fn new() -> Level {
        Level {
            count: 0,
            mem: Vec::new(),
            disk: None,
            disk_bytes: 0,
        }
    }

    /// The number of states.
    pub fn len(&self) -> u64 {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The bytes it holds on disk.
    pub fn disk_bytes(&self) -> u64 {
        self.disk_bytes
    }

    /// The bytes it holds in memory.
    pub fn memory_bytes(&self) -> u64 {
        self.mem.capacity() as u64
    }

    /// Appends a packed state; past `policy.in_memory` bytes, the level continues on disk.
    pub fn push(&mut self, bytes: &[u8], policy: &SpillPolicy) -> Result<(), String> {
        self.count += 1;
        if let Some((_, w)) = &mut self.disk {
            let mut head = Vec::with_capacity(10);
            write_len(bytes.len(), &mut head);
            self.disk_bytes += (head.len() + bytes.len()) as u64;
            return w
                .write_all(&head)
                .and_then(|()| w.write_all(bytes))
                .map_err(|e| io_reason(&e, "frontier", &policy.dir));
        }
        write_len(bytes.len(), &mut self.mem);
        self.mem.extend_from_slice(bytes);
        if self.mem.len() as u64 > policy.in_memory {
            self.spill(policy)?;
        }
        Ok(())
    }

    /// Moves what is in memory to a new file, where the level continues.
    fn spill(&mut self, policy: &SpillPolicy) -> Result<(), String> {
        let why = |e: std::io::Error| io_reason(&e, "frontier", &policy.dir);
        let (spill, file) = SpillFile::create(&policy.dir, "level").map_err(why)?;
        let mut w = BufWriter::with_capacity(1 << 20, file);
        w.write_all(&self.mem).map_err(why)?;
        self.disk_bytes = self.mem.len() as u64;
        self.mem = Vec::new();
        self.disk = Some((spill, w));
        Ok(())
    }

    /// A reader of the states in order (the level is complete).
    pub fn into_reader(self, policy: &SpillPolicy) -> Result<LevelReader, String> {
        let source = match self.disk {
            None => Source::Memory(self.mem, 0),
            Some((spill, w)) => {
                let why = |e: std::io::Error| io_reason(&e, "frontier", &policy.dir);
                let mut file = w.into_inner().map_err(|e| why(e.into_error()))?;
                use std::io::Seek;
                file.seek(std::io::SeekFrom::Start(0)).map_err(why)?;
                Source::Disk {
                    _spill: spill,
                    reader: BufReader::with_capacity(1 << 20, file),
                }
            }
        };
        Ok(LevelReader {
            left: self.count,
            source,
        })
    }
}

enum Source {
    Memory(Vec<u8>, usize),
    /// The file is removed when the level has been read.
    Disk {
        _spill: SpillFile,
        reader: BufReader<File>,
    },
}

/// Reads a level's states in segments.
pub(crate) struct LevelReader {
    left: u64,
    source: Source,
}

/// A run of consecutive states of a level, packed back to back.
#[derive(Default)]
pub(crate) struct Segment {
    pub bytes: Vec<u8>,
    /// Where each state ends in `bytes`.
    pub ends: Vec<usize>,
}

impl Segment {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The packed bytes of state `i`.
    pub fn state(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.bytes[start..self.ends[i]]
    }
}

impl LevelReader {
    /// The bytes of the level on disk (the file stays until the level is read).
    pub fn disk_bytes(&self) -> u64 {
        match &self.source {
            Source::Memory(..) => 0,
            Source::Disk { reader, .. } => reader.get_ref().metadata().map_or(0, |m| m.len()),
        }
    }

    /// The states not read yet.
    pub fn left(&self) -> u64 {
        self.left
    }

    /// Reads the next `max` states at most (fewer at the end) into `seg`.
    pub fn next_segment(&mut self, max: usize, seg: &mut Segment) -> std::io::Result<()> {
        seg.bytes.clear();
        seg.ends.clear();
        let n = (max as u64).min(self.left) as usize;
        self.left -= n as u64;
        match &mut self.source {
            Source::Memory(mem, at) => {
                let start = *at;
                let mut input = &mem[start..];
                for _ in 0..n {
                    let len = read_len(&mut input);
                    let from = mem.len() - input.len();
                    seg.bytes.extend_from_slice(&mem[from..from + len]);
                    seg.ends.push(seg.bytes.len());
                    input = &input[len..];
                }
                *at = mem.len() - input.len();
                if self.left == 0 {
                    // Give the memory back as soon as the level is read.
                    *mem = Vec::new();
                }
            }
            Source::Disk { reader: r, .. } => {
                for _ in 0..n {
                    let len = read_varint(r)?;
                    let from = seg.bytes.len();
                    seg.bytes.resize(from + len, 0);
                    r.read_exact(&mut seg.bytes[from..])?;
                    seg.ends.push(seg.bytes.len());
                }
            }
        }
        Ok(())
    }
}

fn read_varint(r: &mut impl Read) -> std::io::Result<usize> {
    let mut v = 0usize;
    let mut shift = 0;
    loop {
        let mut b = [0u8];
        r.read_exact(&mut b)?;
        v |= usize::from(b[0] & 0x7f) << shift;
        if b[0] < 0x80 {
            return Ok(v);
        }
        shift += 7;
    }
}

/// Per distinct state, in the order they were found: its fingerprint and the index of the
/// state it was first reached from (`NO_PARENT` for an initial state).
pub(crate) struct Nodes {
    fps: Vec<u64>,
    parents: Vec<u32>,
    /// The first `on_disk` records are in the file, 12 bytes each.
    disk: Option<(SpillFile, File)>,
    on_disk: u64,
    /// Whether the records may go to disk (not when the behaviour graph needs them all).
    may_spill: bool,
}

pub(crate) const NO_PARENT: u32 = u32::MAX;
const NODE_BYTES: u64 = 12;

impl Nodes {
    pub fn new(may_spill: bool) -> Nodes {
        Nodes {
            fps: Vec::new(),
            parents: Vec::new(),
            disk: None,
            on_disk: 0,
            may_spill,
        }
    }

    pub fn len(&self) -> u64 {
        self.on_disk + self.fps.len() as u64
    }

    /// The bytes the records take on disk.
    pub fn disk_bytes(&self) -> u64 {
        self.on_disk * NODE_BYTES
    }

    pub fn push(&mut self, fp: u64, parent: u32) {
        self.fps.push(fp);
        self.parents.push(parent);
    }

    /// Past `policy.in_memory` bytes in memory, moves the records to disk (between levels).
    pub fn maybe_spill(&mut self, policy: &SpillPolicy) -> Result<(), String> {
        if !self.may_spill || (self.fps.len() as u64 * NODE_BYTES) <= policy.in_memory {
            return Ok(());
        }
        let why = |e: std::io::Error| io_reason(&e, "trace records", &policy.dir);
        if self.disk.is_none() {
            let (spill, file) = SpillFile::create(&policy.dir, "nodes").map_err(why)?;
            self.disk = Some((spill, file));
        }
        let (_, file) = self.disk.as_mut().expect("created above");
        let mut block = Vec::with_capacity(self.fps.len() * NODE_BYTES as usize);
        for (fp, parent) in self.fps.iter().zip(&self.parents) {
            block.extend_from_slice(&fp.to_le_bytes());
            block.extend_from_slice(&parent.to_le_bytes());
        }
        use std::io::{Seek, SeekFrom};
        file.seek(SeekFrom::End(0)).map_err(why)?;
        file.write_all(&block).map_err(why)?;
        self.on_disk += self.fps.len() as u64;
        self.fps = Vec::new();
        self.parents = Vec::new();
        Ok(())
    }

    /// Node `id`'s fingerprint and parent.
    pub fn get(&self, id: u32) -> (u64, u32) {
        let id = u64::from(id);
        if id >= self.on_disk {
            let i = (id - self.on_disk) as usize;
            return (self.fps[i], self.parents[i]);
        }
        let (_, file) = self.disk.as_ref().expect("records on disk");
        let mut buf = [0u8; NODE_BYTES as usize];
        read_at(file, &mut buf, id * NODE_BYTES).expect("reading back the trace records");
        let fp = u64::from_le_bytes(buf[..8].try_into().expect("8 bytes"));
        let parent = u32::from_le_bytes(buf[8..].try_into().expect("4 bytes"));
        (fp, parent)
    }

    /// Every fingerprint, in order (all in memory: the search keeps them there when the
    /// behaviour graph needs them).
    pub fn fps(&self) -> &[u64] {
        assert_eq!(self.on_disk, 0, "fingerprints kept in memory for liveness");
        &self.fps
    }

    /// Every parent, in order (see `fps`).
    pub fn parents(&self) -> &[u32] {
        assert_eq!(self.on_disk, 0, "parents kept in memory for liveness");
        &self.parents
    }
}

#[cfg(unix)]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    file.read_exact_at(buf, offset)
}

#[cfg(not(unix))]
fn read_at(file: &File, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
    use std::io::{Seek, SeekFrom};
    let mut f = file.try_clone()?;
    f.seek(SeekFrom::Start(offset))?;
    f.read_exact(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy(in_memory: u64) -> SpillPolicy {
        SpillPolicy {
            dir: std::env::temp_dir(),
            in_memory,
        }
    }

    #[test]
    fn a_level_reads_back_in_order_from_memory_and_from_disk() {
        for in_memory in [1 << 20, 16] {
            let p = policy(in_memory);
            let mut level = Level::new();
            let states: Vec<Vec<u8>> = (0..1000u32)
                .map(|i| (0..(i % 300)).map(|b| (b ^ i) as u8).collect())
                .collect();
            for s in &states {
                level.push(s, &p).unwrap();
            }
            assert_eq!(level.disk_bytes() > 0, in_memory == 16);
            let mut r = level.into_reader(&p).unwrap();
            let mut seg = Segment::default();
            let mut back = Vec::new();
            while r.left() > 0 {
                r.next_segment(37, &mut seg).unwrap();
                back.extend((0..seg.len()).map(|i| seg.state(i).to_vec()));
            }
            assert_eq!(back, states);
        }
    }

    #[test]
    fn node_records_read_back_from_disk() {
        let p = policy(100);
        let mut nodes = Nodes::new(true);
        for i in 0..50u32 {
            nodes.push(u64::from(i) * 7, i.wrapping_sub(1));
            nodes.maybe_spill(&p).unwrap();
        }
        assert!(nodes.disk_bytes() > 0);
        for i in 0..50u32 {
            assert_eq!(nodes.get(i), (u64::from(i) * 7, i.wrapping_sub(1)));
        }
    }
}
