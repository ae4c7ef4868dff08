//! The scenario schema: every parameter with its path, default, unit, bounds and meaning.
//!
//! Sections are declared once with [`section!`](crate::section); the macro derives the
//! serde struct, its defaults, and a walk over its parameters. Validation, `cogov check`,
//! policy overrides and the ODD's parameter table all read that walk, so nothing about a
//! parameter is typed twice.

use std::collections::BTreeMap;

/// What values a parameter allows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Bounds {
    /// Anything of the right type.
    Any,
    /// A share or probability in [0, 1].
    Unit,
    /// A closed interval.
    Range(f64, f64),
    /// At least this value.
    AtLeast(f64),
    /// Strictly positive (no upper bound: give new parameters [`Bounds::Above`]).
    Positive,
    /// Greater than the first value and at most the second: (lo, hi].
    Above(f64, f64),
    /// One of these strings.
    OneOf(&'static [&'static str]),
}

impl Bounds {
    /// Says what is allowed, for error messages and the ODD table.
    pub fn describe(&self) -> String {
        match *self {
            Bounds::Any => "any value of this type".into(),
            Bounds::Unit => "a number in [0, 1]".into(),
            Bounds::Range(lo, hi) => format!("a number in [{}, {}]", num(lo), num(hi)),
            Bounds::AtLeast(lo) => format!("a number ≥ {}", num(lo)),
            Bounds::Positive => "a number > 0".into(),
            Bounds::Above(lo, hi) => format!("a number in ({}, {}]", num(lo), num(hi)),
            Bounds::OneOf(opts) => format!(
                "one of {}",
                opts.iter()
                    .map(|o| format!("\"{o}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    /// Checks a numeric value; `None` when it is allowed.
    pub fn check_number(&self, v: f64) -> Option<String> {
        if !v.is_finite() {
            return Some(format!("{v} is not a finite number"));
        }
        let ok = match *self {
            Bounds::Any | Bounds::OneOf(_) => true,
            Bounds::Unit => (0.0..=1.0).contains(&v),
            Bounds::Range(lo, hi) => (lo..=hi).contains(&v),
            Bounds::AtLeast(lo) => v >= lo,
            Bounds::Positive => v > 0.0,
            Bounds::Above(lo, hi) => v > lo && v <= hi,
        };
        (!ok).then(|| format!("{} is out of range", num(v)))
    }

    /// The largest value allowed, when there is one. Every count, rate, duration and
    /// amount has one, so that nothing the user writes can make a run unbounded
    /// (`every_numeric_parameter_has_an_upper_bound` checks the schema).
    pub fn upper(&self) -> Option<f64> {
        match *self {
            Bounds::Unit => Some(1.0),
            Bounds::Range(_, hi) | Bounds::Above(_, hi) => Some(hi),
            Bounds::Any | Bounds::AtLeast(_) | Bounds::Positive | Bounds::OneOf(_) => None,
        }
    }
}

/// A bound as people read it: whole numbers from 10,000 grouped as TOML writes them
/// (`50_000_000`, which can be pasted into a scenario), other numbers as Rust prints them.
pub fn num(v: f64) -> String {
    if v.fract() != 0.0 || !v.is_finite() || v.abs() >= 1e15 || v.abs() < 1e4 {
        return format!("{v}");
    }
    let digits = format!("{}", v.abs() as u64);
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push('_');
        }
        out.push(c);
    }
    if v < 0.0 { format!("-{out}") } else { out }
}

/// Static facts about a field, written once in its section declaration.
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    /// Unit, e.g. "days", "yuan", "share", "count".
    pub unit: &'static str,
    /// Allowed values.
    pub bounds: Bounds,
    /// The field's doc comment: its meaning, and where its default comes from.
    pub doc: &'static str,
}

/// One parameter as the schema walk reports it.
#[derive(Debug, Clone)]
pub struct Param {
    /// Dotted key path, e.g. `world.residents` or `domains.maintenance.rate`.
    pub path: String,
    /// Its value in this scenario.
    pub value: toml::Value,
    /// Its documented default.
    pub default: toml::Value,
    /// Unit, bounds and meaning.
    pub meta: Meta,
}

/// A documented key of a section that is not a model parameter (`[sensitivity]`,
/// `[calibration]`, `[plot]`): path, default and meaning, for the ODD and `cogov check`.
#[derive(Debug, Clone, Copy)]
pub struct KeyDoc {
    /// Dotted key path, e.g. `sensitivity.r`; `<...>` stands for a name the user chooses.
    pub path: &'static str,
    /// How the key is written when its section's default has no value for it (a map entry);
    /// empty otherwise (the default is read from the section's `Default`).
    pub default: &'static str,
    /// Its meaning and allowed values.
    pub doc: &'static str,
}

/// Rows `(path, default, meaning)` of a key table: each default from `defaults` (the
/// section's `Default`, serialised) where it has one, else the key's own text.
pub fn key_rows(
    section: &str,
    keys: &[KeyDoc],
    defaults: &toml::Value,
) -> Vec<(String, String, String)> {
    keys.iter()
        .map(|k| {
            let rest = k
                .path
                .strip_prefix(section)
                .and_then(|r| r.strip_prefix('.'))
                .unwrap_or(k.path);
            let default = defaults
                .get(rest)
                .map(|v| v.to_string())
                .filter(|_| k.default.is_empty())
                .unwrap_or_else(|| k.default.to_string());
            (k.path.to_string(), default, k.doc.to_string())
        })
        .collect()
}

/// The top-level key names of a list of [`KeyDoc`] under `section` (for tests that keep a
/// list and its serde struct in step).
pub fn top_keys(section: &str, keys: &[KeyDoc]) -> std::collections::BTreeSet<String> {
    keys.iter()
        .filter_map(|k| k.path.strip_prefix(section)?.strip_prefix('.'))
        .map(|rest| rest.split(['.', ' ']).next().unwrap_or(rest).to_string())
        .collect()
}

/// A node of the schema: a leaf value or a section of fields.
pub trait Node {
    /// Reports this node's parameters under `path`, with `default` as the reference value.
    fn visit_node(&self, default: &Self, path: &str, meta: Meta, out: &mut Vec<Param>);
}

/// Joins a parent path and a key.
pub fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

fn to_value<T: serde::Serialize + ?Sized>(v: &T) -> toml::Value {
    toml::Value::try_from(v).unwrap_or_else(|_| toml::Value::String(String::new()))
}

macro_rules! leaf {
    ($($t:ty),*) => {$(
        impl Node for $t {
            fn visit_node(&self, default: &Self, path: &str, meta: Meta, out: &mut Vec<Param>) {
                out.push(Param { path: path.to_string(), value: to_value(self), default: to_value(default), meta });
            }
        }
    )*};
}
leaf!(
    f64,
    u32,
    u64,
    usize,
    [f64; 2],
    bool,
    String,
    Vec<String>,
    Vec<u32>,
    Vec<f64>,
    Vec<toml::Value>,
    toml::Value
);

impl<T: Node + Default> Node for BTreeMap<String, T> {
    fn visit_node(&self, default: &Self, path: &str, meta: Meta, out: &mut Vec<Param>) {
        let fallback = T::default();
        for (k, v) in self {
            v.visit_node(
                default.get(k).unwrap_or(&fallback),
                &join(path, k),
                meta,
                out,
            );
        }
    }
}

impl<T: Node + Default> Node for Vec<T>
where
    T: Section,
{
    fn visit_node(&self, _default: &Self, path: &str, meta: Meta, out: &mut Vec<Param>) {
        let fallback = T::default();
        for (i, v) in self.iter().enumerate() {
            v.visit_node(&fallback, &format!("{path}[{i}]"), meta, out);
        }
    }
}

impl<T: Node + Default> Node for Option<T> {
    fn visit_node(&self, default: &Self, path: &str, meta: Meta, out: &mut Vec<Param>) {
        if let Some(v) = self {
            let fallback = T::default();
            v.visit_node(default.as_ref().unwrap_or(&fallback), path, meta, out);
        }
    }
}

/// A section declared with [`section!`](crate::section).
pub trait Section {
    /// Every parameter of the section, with `default` as the reference.
    fn params_under(&self, default: &Self, prefix: &str, out: &mut Vec<Param>);
}

/// Declares a scenario section: a serde struct (unknown keys are errors; missing keys take
/// their default) and its schema walk. Each field is written
/// `/// meaning` then `pub name: Type = default, "unit", Bounds;`, optionally with
/// `#[serde(...)]` attributes (e.g. an alias) after its doc comment. Give every number an
/// upper bound (`Range`, `Unit`, `Above`): see ARCHITECTURE.md, "Bounds".
#[macro_export]
macro_rules! section {
    (
        $(#[doc = $sdoc:literal])*
        pub struct $name:ident {
            $(
                $(#[doc = $doc:expr])*
                $(#[serde($($sattr:tt)*)])*
                pub $field:ident : $ty:ty = $default:expr, $unit:literal, $bounds:expr;
            )*
        }
    ) => {
        $(#[doc = $sdoc])*
        #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
        #[serde(deny_unknown_fields, default)]
        pub struct $name {
            $( $(#[doc = $doc])* $(#[serde($($sattr)*)])* pub $field: $ty, )*
        }

        impl Default for $name {
            fn default() -> Self {
                Self { $($field: $default,)* }
            }
        }

        impl $crate::scenario::schema::Section for $name {
            #[allow(unused_imports)]
            fn params_under(&self, default: &Self, prefix: &str, out: &mut Vec<$crate::scenario::schema::Param>) {
                use $crate::scenario::schema::{Bounds, Bounds::*, Meta, Node, join};
                $(
                    Node::visit_node(
                        &self.$field,
                        &default.$field,
                        &join(prefix, stringify!($field)),
                        Meta { unit: $unit, bounds: $bounds, doc: concat!($($doc, "\n"),*) },
                        out,
                    );
                )*
            }
        }

        impl $crate::scenario::schema::Node for $name {
            fn visit_node(&self, default: &Self, path: &str, _meta: $crate::scenario::schema::Meta, out: &mut Vec<$crate::scenario::schema::Param>) {
                $crate::scenario::schema::Section::params_under(self, default, path, out);
            }
        }
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    crate::section! {
        /// A test section.
        pub struct Demo {
            /// A share.
            pub share: f64 = 0.5, "share", Unit;
            /// A count.
            pub count: u32 = 3, "count", AtLeast(1.0);
        }
    }

    #[test]
    fn walk_reports_paths_values_and_defaults() {
        let d = Demo {
            share: 0.25,
            ..Demo::default()
        };
        let mut out = Vec::new();
        d.params_under(&Demo::default(), "demo", &mut out);
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].path, "demo.share");
        assert_eq!(out[0].value, toml::Value::Float(0.25));
        assert_eq!(out[0].default, toml::Value::Float(0.5));
        assert_eq!(out[1].meta.unit, "count");
        assert!(out[0].meta.doc.contains("A share"));
    }

    #[test]
    fn bounds_check() {
        assert!(Bounds::Unit.check_number(1.2).is_some());
        assert!(Bounds::Unit.check_number(f64::NAN).is_some());
        assert!(Bounds::Positive.check_number(0.0).is_some());
        assert!(Bounds::AtLeast(1.0).check_number(1.0).is_none());
    }
}
