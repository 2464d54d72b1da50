//! Pass 7: every name in every body resolved and every expression typed
//! (`lamport_ir::resolve`), then every function translated to TLA+ by the exporter's own
//! translation: what the export could not write is refused here, on its token, rather than when
//! a user first exports.

use lamport_ir::Model;

use crate::ctxt::Ctxt;
use crate::lower::Nodes;

pub fn resolve(cx: &Ctxt, nodes: &Nodes, ir: &mut Model) {
    // A body that failed to lower has placeholders in it: resolving it would only echo the
    // errors already reported.
    if cx.has_errors() {
        return;
    }
    let diags = lamport_ir::resolve::resolve(ir);
    let clean = diags.is_empty();
    for d in diags {
        cx.push(nodes.error(d.node, d.msg));
    }
    if clean {
        for e in lamport_tla_export::translate::Cx::check_model(ir) {
            cx.push(nodes.error(
                e.node,
                format!(
                    "{} (this has no TLA+ translation, so the model could not be exported)",
                    e.msg
                ),
            ));
        }
    }
}
