//! Tables as CSV: one header row, then one row per table row, numbers in shortest
//! round-trip form and `NA` for missing values (see [`crate::output`]).

use std::io::Write;

use super::Table;

/// Writes the header row of `t`.
pub fn write_header<W: Write>(w: &mut csv::Writer<W>, t: &Table) -> csv::Result<()> {
    w.write_record(t.columns().iter().map(|(n, _)| n.as_str()))
}

/// Writes every row of `t` (no header).
pub fn write_rows<W: Write>(w: &mut csv::Writer<W>, t: &Table) -> csv::Result<()> {
    for i in 0..t.rows() {
        w.write_record(t.columns().iter().map(|(_, c)| c.cell(i)))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample;
    use super::*;

    #[test]
    fn writes_header_and_quoted_rows() {
        let t = sample();
        let mut w = csv::Writer::from_writer(Vec::new());
        write_header(&mut w, &t).unwrap();
        write_rows(&mut w, &t).unwrap();
        let text = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], "id,tick,seed,on,x,yuan");
        assert_eq!(lines[2], "\"b,c\",1,0,false,NA,1200.00");
        assert_eq!(lines.len(), 4);
    }
}
