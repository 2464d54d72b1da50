//! Panics in model code are model errors, not crashes: they are caught, their message and
//! location kept, and the default panic output suppressed while model code runs.

use std::cell::{Cell, RefCell};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    static IN_MODEL: Cell<bool> = const { Cell::new(false) };
    static LAST: RefCell<Option<String>> = const { RefCell::new(None) };
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
                let full = match info.location() {
                    Some(loc) => {
                        format!("{msg} (at {}:{}:{})", loc.file(), loc.line(), loc.column())
                    }
                    None => msg,
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
        LAST.with(|l| l.borrow_mut().take())
            .unwrap_or_else(|| "model code panicked".to_string())
    })
}
