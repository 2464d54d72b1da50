//! Panics in model code are model errors, not crashes: they are caught, their message and
//! location kept, and the default panic output suppressed while model code runs.
//!
//! Two things a panic alone does not say are kept beside it: the helper function the model was
//! in (each helper starts with a [`HelperFrame`], inserted by `#[lamport::model]`), and whether
//! the stack was about to run out. Model code runs on threads lamport starts with
//! [`MODEL_STACK`] bytes of stack ([`on_model_stack`]); a helper entered with less than a
//! margin of it left panics with a clear message instead of overflowing the stack (which
//! would abort the whole process with no report).

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

/// Stack of every thread lamport runs model code on.
pub const MODEL_STACK: usize = 64 << 20;

/// What is kept free below the deepest helper frame: room for the panic machinery and for
/// the model code a helper calls without entering another helper.
const STACK_MARGIN: usize = MODEL_STACK / 16;

thread_local! {
    static IN_MODEL: Cell<bool> = const { Cell::new(false) };
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
    /// The innermost helper being evaluated, and how many helper calls are open.
    static HELPER: Cell<(Option<&'static str>, usize)> = const { Cell::new((None, 0)) };
    /// The lowest stack address a helper may be entered at (0: not a lamport thread, no check).
    static STACK_FLOOR: Cell<usize> = const { Cell::new(0) };
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_MODEL.with(Cell::get) {
                let payload = info.payload();
                let msg = if let Some(s) = payload.downcast_ref::<&str>() {
                    (*s).to_string()
                } else if let Some(s) = payload.downcast_ref::<String>() {
                    s.clone()
                } else {
                    "panic with a non-string payload".to_string()
                };
                let mut place = Vec::new();
                if let Some(loc) = info.location() {
                    place.push(format!("at {}:{}:{}", loc.file(), loc.line(), loc.column()));
                }
                if let (Some(helper), _) = HELPER.with(Cell::get) {
                    place.push(format!("in helper `{helper}`"));
                }
                let full = if place.is_empty() {
                    msg
                } else {
                    format!("{msg} ({})", place.join(", "))
                };
                LAST.with(|l| *l.borrow_mut() = Some(full));
            } else {
                previous(info);
            }
        }));
    });
}

/// Runs model code; a panic becomes `Err(message with location)`.
pub fn run_model_code<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    let was = IN_MODEL.with(|c| c.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    IN_MODEL.with(|c| c.set(was));
    result.map_err(|_| {
        // The helper frames unwound; this only matters if one leaked (e.g. `mem::forget`).
        if !was {
            HELPER.with(|h| h.set((None, 0)));
        }
        LAST.with(|l| l.borrow_mut().take())
            .unwrap_or_else(|| "model code panicked".to_string())
    })
}

/// The address of a local: where the stack pointer about is.
#[inline(always)]
fn stack_pointer() -> usize {
    let marker = 0u8;
    std::hint::black_box(std::ptr::addr_of!(marker)) as usize
}

/// Runs `f` on a new thread with [`MODEL_STACK`] bytes of stack whose helpers check the room
/// left (see [`HelperFrame`]), and returns its result. A panic outside model code is passed on.
pub fn on_model_stack<T: Send>(f: impl FnOnce() -> T + Send) -> T {
    std::thread::scope(|scope| {
        let handle = std::thread::Builder::new()
            .name("lamport".into())
            .stack_size(MODEL_STACK)
            .spawn_scoped(scope, || {
                mark_model_stack();
                f()
            })
            .expect("a thread for the checker");
        match handle.join() {
            Ok(v) => v,
            Err(payload) => std::panic::resume_unwind(payload),
        }
    })
}

/// Records the current thread as one lamport started with [`MODEL_STACK`] bytes of stack. Call
/// first thing on the thread.
pub fn mark_model_stack() {
    let top = stack_pointer();
    STACK_FLOOR.with(|f| f.set(top.saturating_sub(MODEL_STACK) + STACK_MARGIN));
}

/// The start of a helper function's body (inserted by `#[lamport::model]`): names the helper
/// in a panic's message while it runs, and stops a recursion before it overflows the stack.
pub struct HelperFrame {
    previous: Option<&'static str>,
}

impl HelperFrame {
    #[inline]
    #[track_caller]
    pub fn enter(name: &'static str) -> HelperFrame {
        let floor = STACK_FLOOR.with(Cell::get);
        let (previous, open) = HELPER.with(Cell::get);
        if floor != 0 && stack_pointer() < floor {
            stack_exhausted(name, open);
        }
        HELPER.with(|h| h.set((Some(name), open + 1)));
        HelperFrame { previous }
    }
}

impl Drop for HelperFrame {
    #[inline]
    fn drop(&mut self) {
        HELPER.with(|h| {
            let (_, open) = h.get();
            h.set((self.previous, open.saturating_sub(1)));
        });
    }
}

#[cold]
#[track_caller]
fn stack_exhausted(name: &str, open: usize) -> ! {
    panic!(
        "recursion too deep: `{name}` was entered with {open} helper calls still open, and model code has {} MiB of stack; bound the recursion (or write it as an iteration)",
        MODEL_STACK >> 20
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn down(n: u64) -> u64 {
        let _frame = HelperFrame::enter("down");
        if n == 0 {
            0
        } else {
            std::hint::black_box(down(n - 1)) + 1
        }
    }

    #[test]
    fn a_deep_recursion_is_a_model_error_not_a_stack_overflow() {
        let r = on_model_stack(|| run_model_code(|| down(100_000_000)));
        let msg = r.expect_err("the recursion runs out of stack");
        assert!(msg.contains("recursion too deep"), "{msg}");
        assert!(msg.contains("in helper `down`"), "{msg}");
        // A shallow one is fine, and the frames are closed again.
        assert_eq!(on_model_stack(|| run_model_code(|| down(1000))), Ok(1000));
        assert_eq!(HELPER.with(Cell::get), (None, 0));
    }

    #[test]
    fn a_panic_names_the_innermost_helper_and_its_line() {
        fn inner() -> u8 {
            let _frame = HelperFrame::enter("inner");
            crate::private::add(250u8, 10)
        }
        let msg = run_model_code(inner).expect_err("overflow");
        assert!(msg.contains("integer overflow: 250 + 10"), "{msg}");
        assert!(msg.contains(&format!("at {}:", file!())), "{msg}");
        assert!(msg.ends_with("in helper `inner`)"), "{msg}");
    }
}
