//! The TLA+ spelling of value types' tags and fields: the naming rule (`naming`), unless the
//! model keeps an original spelling with `#[value(rename = "..")]` (or a raw field `r#type`).
//! The macro, the checker's reports and the exporter all ask here, so a renamed variant reads
//! the same in a trace, an ITF file and the `.tla` module.

use crate::{naming, Model, Type, TypeKind, Variant};

/// The string a variant renders as (its `type` field for an enum with fields).
pub fn variant_tag(v: &Variant) -> String {
    v.rename
        .clone()
        .unwrap_or_else(|| naming::snake_case(&v.name))
}

/// The default TLA+ name of a record field: `max_vbal` → `maxVbal`, `r#type` → `type`.
pub fn default_field_name(rust: &str) -> String {
    naming::camel_case(rust.strip_prefix("r#").unwrap_or(rust))
}

impl Model {
    /// The tag of `ty::variant`, by the declaration when the model declares it.
    pub fn variant_tag(&self, ty: &str, variant: &str) -> String {
        self.variant_decl(ty, variant)
            .map(variant_tag)
            .unwrap_or_else(|| naming::snake_case(variant))
    }

    fn variant_decl(&self, ty: &str, variant: &str) -> Option<&Variant> {
        match &self.types.iter().find(|t| t.name == ty)?.kind {
            TypeKind::Enum(vs) => vs.iter().find(|v| v.name == variant),
            TypeKind::Struct(_) => None,
        }
    }

    /// The TLA+ name of the field `field` of the struct `ty` (`variant: None`) or of the variant
    /// `ty::variant`.
    pub fn record_field_name(&self, ty: &str, variant: Option<&str>, field: &str) -> String {
        let fields = match variant {
            Some(v) => self.variant_decl(ty, v).map(|v| &v.fields),
            None => self
                .types
                .iter()
                .find(|t| t.name == ty)
                .and_then(|t| match &t.kind {
                    TypeKind::Struct(fs) => Some(fs),
                    TypeKind::Enum(_) => None,
                }),
        };
        fields
            .and_then(|fs| fs.iter().find(|f| f.name == field))
            .map(|f| f.tla.clone())
            .unwrap_or_else(|| default_field_name(field))
    }

    /// The TLA+ name of the field `field` read from a value of type `ty` (a struct).
    pub fn field_name_of(&self, ty: Option<&Type>, field: &str) -> String {
        match ty {
            Some(Type::Named(n)) => self.record_field_name(n, None, field),
            _ => default_field_name(field),
        }
    }
}
