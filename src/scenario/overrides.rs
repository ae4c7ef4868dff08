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

/// The leaf paths of a table, indexed once so that checking many overrides (policies,
/// sweep keys, design parameters) takes time linear in their number. Lists and the
/// experiment's own `policy` and `sweep` entries are not overridable leaves.
#[derive(Debug, Clone)]
pub struct Leaves {
    list: Vec<String>,
    set: std::collections::HashSet<String>,
}

impl Leaves {
    /// Indexes the leaves of `table`.
    pub fn of(table: &Table) -> Leaves {
        let list: Vec<String> = leaf_paths(table)
            .into_iter()
            .filter(|l| !l.starts_with("sweep.") && !l.starts_with("policy"))
            .collect();
        let set = list.iter().cloned().collect();
        Leaves { list, set }
    }

    /// Whether `path` is a leaf.
    pub fn contains(&self, path: &str) -> bool {
        self.set.contains(path)
    }

    /// Why `path` is not a leaf: what replaced it, or the nearest leaves.
    pub fn unknown(&self, path: &str) -> String {
        unknown_path(path, &self.list)
    }

    /// Checks that `value` may be set at `path` of `table` (the table these leaves index)
    /// without changing anything: the path exists and the type fits.
    pub fn check(&self, table: &Table, path: &str, value: &Value) -> Result<(), String> {
        if !self.contains(path) {
            return Err(self.unknown(path));
        }
        let old = get(table, path).ok_or_else(|| format!("no parameter \"{path}\""))?;
        coerce(old, value.clone())
            .map(|_| ())
            .map_err(|want| format!("\"{path}\" takes {want}, not a {}", value.type_str()))
    }
}

/// The value at dotted `path`, if there is one.
pub fn get<'a>(table: &'a Table, path: &str) -> Option<&'a Value> {
    let mut keys = path.split('.');
    let mut cur = table.get(keys.next()?)?;
    for k in keys {
        cur = cur.as_table()?.get(k)?;
    }
    Some(cur)
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
/// and floats may stand for each other). Walks the path only (the leaves are listed for the
/// message alone), so setting k paths costs time linear in k.
pub fn set_path(table: &mut Table, path: &str, value: Value) -> Result<(), String> {
    let missing = |table: &Table| unknown_path(path, &leaf_paths(table));
    let is_leaf = match get(table, path) {
        Some(Value::Table(_)) | None => false,
        Some(_) => true,
    };
    if !is_leaf {
        return Err(missing(table));
    }
    let mut cur = &mut *table;
    let mut keys = path.split('.').peekable();
    while let Some(key) = keys.next() {
        let slot = cur
            .get_mut(key)
            .ok_or_else(|| format!("no parameter \"{path}\""))?;
        if keys.peek().is_none() {
            let found = value.type_str();
            *slot = coerce(slot, value).map_err(|want| {
                if want.contains(" not ") {
                    format!("\"{path}\" takes {want}")
                } else {
                    format!("\"{path}\" takes {want}, not {}", article(found))
                }
            })?;
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
        (Value::Integer(_), Value::Float(f)) => Err(format!(
            "a whole number (an integer), not {f}; write e.g. {}",
            f.round()
        )),
        (o, _) => Err(article(o.type_str())),
    }
}

/// "an integer", "a float", ...
fn article(word: &str) -> String {
    let an = word.starts_with(['a', 'e', 'i', 'o', 'u']);
    format!("{} {word}", if an { "an" } else { "a" })
}

/// Characters of a misspelt name that [`nearest`] compares: more than any key has, and few
/// enough that a name of thousands of characters (similarity costs the product of the
/// lengths) cannot make one message take seconds.
const COMPARED_CHARS: usize = 128;

/// The `k` candidates closest to `target` by Jaro–Winkler similarity of the whole path and
/// of its last segment (of the target's first 128 characters).
pub fn nearest(target: &str, candidates: &[String], k: usize) -> Vec<String> {
    let target = match target.char_indices().nth(COMPARED_CHARS) {
        Some((end, _)) => &target[..end],
        None => target,
    };
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
    fn a_very_long_misspelling_is_compared_by_its_start() {
        let keys = [
            "mechanisms.grid.enabled",
            "mechanisms.online.enabled",
            "world.residents",
        ]
        .map(String::from);
        let long = format!("mechanisms.grid.enabld{}", "z".repeat(100_000));
        assert_eq!(nearest(&long, &keys, 1), ["mechanisms.grid.enabled"]);
        // Only the start counts: past it, a key equal to the whole name does not win.
        let start = "a".repeat(COMPARED_CHARS);
        let whole = format!("{start}{}", "b".repeat(1_000));
        let keys_past_the_cut = [start.clone(), whole.clone()];
        assert_eq!(nearest(&whole, &keys_past_the_cut, 1), [start]);
        let cut = format!("{}é{}", "a".repeat(COMPARED_CHARS - 1), "b".repeat(10));
        assert_eq!(
            nearest(&cut, &keys, 3).len(),
            3,
            "cut at a character boundary"
        );
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
