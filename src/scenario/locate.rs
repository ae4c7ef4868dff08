//! Finding where a key path sits in a scenario file, for error messages that name the
//! file, line and column.

use toml_edit::{Document, Item};

use crate::error::{Error, Location};

/// 1-based line and column of byte offset `pos` in `text`.
pub fn line_col(text: &str, pos: usize) -> (usize, usize) {
    let pos = pos.min(text.len());
    let before = &text[..pos];
    let line = before.matches('\n').count() + 1;
    let col = before
        .rfind('\n')
        .map(|nl| before[nl + 1..].chars().count())
        .unwrap_or(before.chars().count())
        + 1;
    (line, col)
}

/// Byte span of the key (or value, for the last segment with `value = true`) at dotted
/// `path` in `text`, if the file states it. Segments like `projects[0]` index arrays of
/// tables.
pub fn span_of(text: &str, path: &str, value: bool) -> Option<std::ops::Range<usize>> {
    let doc = Document::parse(text).ok()?;
    let mut item: &Item = doc.as_item();
    let segments: Vec<&str> = path.split('.').collect();
    let mut span = None;
    for (i, seg) in segments.iter().enumerate() {
        let (key, index) = match seg.find('[') {
            Some(b) => (
                &seg[..b],
                seg[b + 1..].trim_end_matches(']').parse::<usize>().ok(),
            ),
            None => (*seg, None),
        };
        let table = item.as_table_like()?;
        // A quoted dotted key (`"world.party_share" = [..]` under `[sweep]`) holds the
        // rest of the path as one key.
        let Some((k, next)) = table.get_key_value(key) else {
            let rest = segments[i..].join(".");
            let (k, v) = table.get_key_value(&rest)?;
            return if value {
                v.span().or(k.span())
            } else {
                k.span()
            };
        };
        span = k.span();
        item = next;
        if let Some(idx) = index {
            // An element of an array of values (`switches[3]`): its value's span.
            if let Some(values) = item.as_array() {
                return values.get(idx).and_then(|v| v.span()).or(span);
            }
            let tbl = item.as_array_of_tables()?.get(idx)?;
            return descend_table(tbl, &segments[i + 1..], value)
                .or(tbl.span())
                .or(span);
        }
        if value && i + 1 == segments.len() {
            span = item.span().or(span);
        }
    }
    span
}

fn descend_table(
    table: &toml_edit::Table,
    rest: &[&str],
    value: bool,
) -> Option<std::ops::Range<usize>> {
    let mut item: Option<&Item> = None;
    let mut span = table.span();
    for (i, seg) in rest.iter().enumerate() {
        let t = match item {
            None => table as &dyn toml_edit::TableLike,
            Some(it) => it.as_table_like()?,
        };
        let (k, next) = t.get_key_value(seg)?;
        span = k.span();
        if value && i + 1 == rest.len() {
            span = next.span().or(span);
        }
        item = Some(next);
    }
    span
}

/// `file:line:col` for `path` when the file states it, else `file`.
pub fn where_is(file: &str, text: &str, path: &str) -> String {
    place(&location(file, text, path))
}

/// Where key `path` is in `text`, as data: line and column of its value when the file
/// states it. A key the file does not state (an inherited default) is placed at the
/// nearest section the file does state, e.g. its `[world]` header; the key path stays the
/// key's own.
pub fn location(file: &str, text: &str, path: &str) -> Location {
    let mut p = path;
    let (line, column) = loop {
        if let Some(s) = span_of(text, p, true) {
            let (l, c) = line_col(text, s.start);
            break (Some(l), Some(c));
        }
        match p.rsplit_once('.') {
            Some((parent, _)) => p = parent,
            None => break (None, None),
        }
    };
    Location {
        file: file.to_string(),
        line,
        column,
        key_path: (!path.is_empty()).then(|| path.to_string()),
    }
}

/// `file:line:col`, or `file` when the position is not known.
pub fn place(at: &Location) -> String {
    match (at.line, at.column) {
        (Some(l), Some(c)) => format!("{}:{l}:{c}", at.file),
        _ => at.file.clone(),
    }
}

/// Turns an input error whose message starts with a key path (`experiment.max_runs: ...`,
/// as the experiment planner's are) into a located scenario error: `file:line:col:
/// \`key\`: ...`. Other errors are returned unchanged.
pub fn locate_input(err: Error, file: &str, text: &str) -> Error {
    let Error::Input(msg) = &err else {
        return err;
    };
    let Some((key, rest)) = msg.split_once(": ") else {
        return err;
    };
    // Keys hold no spaces, backticks or colons; a message that starts with `file:line:col`
    // is located already.
    if key.is_empty() || key.contains(char::is_whitespace) || key.contains(['`', ':']) {
        return err;
    }
    let at = location(file, text, key);
    Error::Scenario {
        message: format!("{}: `{key}`: {rest}", place(&at)),
        at,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_nested_keys() {
        let text = "name = \"x\"\n[world]\nresidents = 10\n\n[mechanisms.grid]\nenabled = true\n";
        let s = span_of(text, "world.residents", false).unwrap();
        assert_eq!(line_col(text, s.start), (3, 1));
        let s = span_of(text, "world.residents", true).unwrap();
        assert_eq!(line_col(text, s.start), (3, 13));
        let s = span_of(text, "mechanisms.grid.enabled", false).unwrap();
        assert_eq!(line_col(text, s.start), (6, 1));
        assert!(span_of(text, "world.streets", false).is_none());
        let text = "[sweep]\n\"world.party_share\" = [0.1]\n";
        let s = span_of(text, "sweep.world.party_share", false).unwrap();
        assert_eq!(line_col(text, s.start), (2, 1));
    }

    #[test]
    fn input_errors_starting_with_a_key_are_located() {
        let text = "[experiment]\nmax_runs = 5\n";
        let e = locate_input(
            Error::input("experiment.max_runs: too many"),
            "s.toml",
            text,
        );
        assert_eq!(
            e.to_string(),
            "s.toml:2:12: `experiment.max_runs`: too many"
        );
        assert_eq!(
            e.location().unwrap().key_path.as_deref(),
            Some("experiment.max_runs")
        );
        let e = locate_input(Error::input("two words: no key"), "s.toml", text);
        assert!(e.location().is_none());
    }

    #[test]
    fn finds_keys_in_arrays_of_tables() {
        let text = "[[projects]]\nstart = 1\n[[projects]]\nstart = 2\ncommunities = [1]\n";
        let s = span_of(text, "projects[1].start", true).unwrap();
        assert_eq!(line_col(text, s.start), (4, 9));
    }

    #[test]
    fn finds_elements_of_arrays_of_values() {
        let text = "[experiment]\nswitches = [\"grid\",\n  \"online\"]\n";
        let s = span_of(text, "experiment.switches[1]", true).unwrap();
        assert_eq!(line_col(text, s.start), (3, 3));
    }
}
