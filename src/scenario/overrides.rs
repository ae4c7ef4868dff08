//! Dotted-path access to a resolved scenario's TOML table: deep merge of a file onto the
//! defaults, and overrides such as `"mechanisms.online.enabled" = true` from policies,
//! sweeps and designs. An override may only set a path that exists.

use toml::{Table, Value};

/// Merges `over` into `base`: tables merge key by key, anything else replaces.
pub fn deep_merge(base: &mut Table, over: &Table) {
    for (k, v) in over {
        match (base.get_mut(k), v) {
            (Some(Value::Table(b)), Value::Table(o)) => deep_merge(b, o),
            _ => {
                base.insert(k.clone(), v.clone());
            }
        }
    }
}

/// Every leaf path of a table (arrays of tables appear as `key[i].field`).
pub fn leaf_paths(table: &Table) -> Vec<String> {
    fn walk(prefix: &str, v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Table(t) => {
                for (k, v) in t {
                    walk(&crate::scenario::schema::join(prefix, k), v, out);
                }
            }
            _ => out.push(prefix.to_string()),
        }
    }
    let mut out = Vec::new();
    for (k, v) in table {
        walk(k, v, &mut out);
    }
    out
}

/// Why `path` is not a parameter: what replaced it, if an earlier model had it, else the
/// nearest valid paths among `leaves`.
pub fn unknown_path(path: &str, leaves: &[String]) -> String {
    if let Some(new) = super::renamed::replacement(path) {
        return format!("\"{path}\" is a key of an earlier model: {new}");
    }
    format!(
        "no parameter \"{path}\"; nearest valid paths: {}",
        nearest(path, leaves, 3).join(", ")
    )
}

/// Sets the leaf at dotted `path` to `value`. Errs with the nearest valid paths when the
/// path does not exist, or when the value's type differs from the current one (integers
/// and floats may stand for each other).
pub fn set_path(table: &mut Table, path: &str, value: Value) -> Result<(), String> {
    let all = leaf_paths(table);
    if !all.iter().any(|p| p == path) {
        return Err(unknown_path(path, &all));
    }
    let mut cur = &mut *table;
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        let slot = cur
            .get_mut(key)
            .ok_or_else(|| format!("no parameter \"{path}\""))?;
        if keys.peek().is_none() {
            let found = value.type_str();
            *slot = coerce(slot, value)
                .map_err(|want| format!("\"{path}\" takes {want}, not a {found}"))?;
            return Ok(());
        }
        cur = slot
            .as_table_mut()
            .ok_or_else(|| format!("no parameter \"{path}\""))?;
    }
    Err(format!("no parameter \"{path}\""))
}

/// Makes `new` fit the type of `old`, or says which type is wanted.
fn coerce(old: &Value, new: Value) -> Result<Value, String> {
    match (old, new) {
        (Value::Float(_), Value::Integer(i)) => Ok(Value::Float(i as f64)),
        (Value::Integer(_), Value::Float(f)) if f.fract() == 0.0 && f.is_finite() => {
            Ok(Value::Integer(f as i64))
        }
        (o, n) if std::mem::discriminant(o) == std::mem::discriminant(&n) => Ok(n),
        (o, _) => Err(format!("a {}", o.type_str())),
    }
}

/// The `k` candidates closest to `target` by Jaro–Winkler similarity of the whole path and
/// of its last segment.
pub fn nearest(target: &str, candidates: &[String], k: usize) -> Vec<String> {
    let last = |s: &str| s.rsplit('.').next().unwrap_or(s).to_string();
    let mut scored: Vec<(f64, &String)> = candidates
        .iter()
        .map(|c| {
            let whole = strsim::jaro_winkler(target, c);
            let tail = strsim::jaro_winkler(&last(target), &last(c));
            (whole.max(0.5 * whole + 0.5 * tail), c)
        })
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.cmp(b.1)));
    scored.into_iter().take(k).map(|(_, c)| c.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(s: &str) -> Table {
        s.parse().unwrap()
    }

    #[test]
    fn merge_keeps_unmentioned_keys() {
        let mut base = table("[a]\nx = 1\ny = 2\n[b]\nz = true");
        deep_merge(&mut base, &table("[a]\ny = 5"));
        assert_eq!(base["a"]["x"].as_integer(), Some(1));
        assert_eq!(base["a"]["y"].as_integer(), Some(5));
        assert_eq!(base["b"]["z"].as_bool(), Some(true));
    }

    #[test]
    fn set_existing_path_and_reject_unknown_with_suggestion() {
        let mut t = table("[mechanisms.online]\nenabled = false\nresponsiveness = 0.8");
        set_path(&mut t, "mechanisms.online.enabled", Value::Boolean(true)).unwrap();
        assert_eq!(t["mechanisms"]["online"]["enabled"].as_bool(), Some(true));
        set_path(
            &mut t,
            "mechanisms.online.responsiveness",
            Value::Integer(1),
        )
        .unwrap();
        assert_eq!(
            t["mechanisms"]["online"]["responsiveness"].as_float(),
            Some(1.0)
        );
        let err = set_path(&mut t, "mechanisms.online.enabld", Value::Boolean(true)).unwrap_err();
        assert!(err.contains("mechanisms.online.enabled"), "{err}");
        let err = set_path(&mut t, "mechanisms.online.enabled", Value::Float(0.5)).unwrap_err();
        assert!(err.contains("boolean"), "{err}");
    }
}
