//! Tables as Arrow record batches and back. Number columns move into Arrow buffers without
//! a copy ([`Table::into_record_batch`]); a value that is not finite becomes null, as it is
//! `NA` in CSV.

use std::sync::Arc;

use arrow_array::{
    Array, ArrayRef, BooleanArray, Decimal128Array, Float64Array, Int64Array, LargeStringArray,
    RecordBatch, StringArray, StringViewArray, UInt64Array,
};
use arrow_buffer::{NullBuffer, ScalarBuffer};
use arrow_schema::{DataType, Field, Schema, SchemaRef};

use super::{Column, Table};
use crate::error::{Error, Result};

/// Digits and decimals of money columns: whole cents up to 10^16 yuan.
const MONEY: (u8, i8) = (18, 2);

impl Column {
    /// The Arrow type of this column.
    pub fn data_type(&self) -> DataType {
        match self {
            Column::F64(_) => DataType::Float64,
            Column::I64(_) => DataType::Int64,
            Column::U64(_) => DataType::UInt64,
            Column::Bool(_) => DataType::Boolean,
            Column::Str(_) | Column::OptStr(_) => DataType::Utf8,
            Column::OptI64(_) => DataType::Int64,
            Column::Cents(_) => DataType::Decimal128(MONEY.0, MONEY.1),
        }
    }

    /// The column as an Arrow array, taking its buffer.
    pub fn into_array(self) -> ArrayRef {
        match self {
            Column::F64(v) => {
                let nulls = v
                    .iter()
                    .any(|x| !x.is_finite())
                    .then(|| NullBuffer::from_iter(v.iter().map(|x| x.is_finite())));
                Arc::new(Float64Array::new(ScalarBuffer::from(v), nulls))
            }
            Column::I64(v) => Arc::new(Int64Array::new(ScalarBuffer::from(v), None)),
            Column::U64(v) => Arc::new(UInt64Array::new(ScalarBuffer::from(v), None)),
            Column::Bool(v) => Arc::new(BooleanArray::from(v)),
            Column::Str(v) => Arc::new(StringArray::from(v)),
            Column::OptI64(v) => Arc::new(Int64Array::from(v)),
            Column::OptStr(v) => Arc::new(StringArray::from(v)),
            Column::Cents(v) => Arc::new(
                Decimal128Array::from_iter_values(v.into_iter().map(i128::from))
                    .with_precision_and_scale(MONEY.0, MONEY.1)
                    .unwrap_or_else(|_| unreachable!("18 digits, 2 decimals are valid")),
            ),
        }
    }

    /// A column from an Arrow array of a type cogov writes (strings of any width). Nulls in
    /// a float column become NaN (missing); an int or string column of a `nullable` field
    /// keeps its nulls (as [`Column::OptI64`], [`Column::OptStr`]); elsewhere they are
    /// refused.
    pub fn from_array(name: &str, a: &dyn Array, nullable: bool) -> Result<Column> {
        let any = a.as_any();
        let strings = |it: &mut dyn Iterator<Item = Option<&str>>| {
            if nullable {
                Column::OptStr(it.map(|s| s.map(str::to_string)).collect())
            } else {
                Column::Str(it.map(|s| s.unwrap_or_default().to_string()).collect())
            }
        };
        // Nulls are kept only where a column type can hold them.
        let no_nulls = |what: &str| {
            let keeps = nullable && matches!(what, "int64" | "string");
            if a.null_count() > 0 && !keeps {
                Err(Error::input(format!(
                    "column `{name}` ({what}) has missing values; only number columns may"
                )))
            } else {
                Ok(())
            }
        };
        Ok(match a.data_type() {
            DataType::Float64 => {
                let x = any
                    .downcast_ref::<Float64Array>()
                    .ok_or_else(|| bad(name))?;
                Column::F64(x.iter().map(|v| v.unwrap_or(f64::NAN)).collect())
            }
            DataType::Int64 => {
                no_nulls("int64")?;
                let x = any.downcast_ref::<Int64Array>().ok_or_else(|| bad(name))?;
                if nullable {
                    Column::OptI64(x.iter().collect())
                } else {
                    Column::I64(x.values().to_vec())
                }
            }
            DataType::UInt64 => {
                no_nulls("uint64")?;
                let x = any.downcast_ref::<UInt64Array>().ok_or_else(|| bad(name))?;
                Column::U64(x.values().to_vec())
            }
            DataType::Boolean => {
                no_nulls("bool")?;
                let x = any
                    .downcast_ref::<BooleanArray>()
                    .ok_or_else(|| bad(name))?;
                Column::Bool(x.values().iter().collect())
            }
            DataType::Utf8 => {
                no_nulls("string")?;
                let x = any.downcast_ref::<StringArray>().ok_or_else(|| bad(name))?;
                strings(&mut x.iter())
            }
            DataType::LargeUtf8 => {
                no_nulls("string")?;
                let x = any
                    .downcast_ref::<LargeStringArray>()
                    .ok_or_else(|| bad(name))?;
                strings(&mut x.iter())
            }
            DataType::Utf8View => {
                no_nulls("string")?;
                let x = any
                    .downcast_ref::<StringViewArray>()
                    .ok_or_else(|| bad(name))?;
                strings(&mut x.iter())
            }
            DataType::Decimal128(_, scale) if *scale == MONEY.1 => {
                no_nulls("decimal")?;
                let x = any
                    .downcast_ref::<Decimal128Array>()
                    .ok_or_else(|| bad(name))?;
                let cents: Option<Vec<i64>> =
                    x.values().iter().map(|&c| i64::try_from(c).ok()).collect();
                Column::Cents(cents.ok_or_else(|| bad(name))?)
            }
            other => {
                return Err(Error::input(format!(
                    "column `{name}` has Arrow type {other}; cogov reads float64, int64, uint64, bool, string and decimal(_, 2) columns"
                )));
            }
        })
    }
}

fn bad(name: &str) -> Error {
    Error::input(format!("column `{name}`: its data does not match its type"))
}

impl Table {
    /// The Arrow schema of this table.
    pub fn arrow_schema(&self) -> SchemaRef {
        Arc::new(Schema::new(
            self.columns()
                .iter()
                .map(|(n, c)| Field::new(n, c.data_type(), c.nullable()))
                .collect::<Vec<_>>(),
        ))
    }

    /// The table as one Arrow record batch, its number buffers moved, not copied.
    pub fn into_record_batch(self) -> Result<RecordBatch> {
        let schema = self.arrow_schema();
        let arrays: Vec<ArrayRef> = self
            .into_columns()
            .into_iter()
            .map(|(_, c)| c.into_array())
            .collect();
        RecordBatch::try_new(schema, arrays).map_err(|e| Error::input(e.to_string()))
    }

    /// A table named `name` from an Arrow record batch.
    pub fn from_record_batch(name: &str, batch: &RecordBatch) -> Result<Table> {
        let mut t = Table::new(name);
        for (field, array) in batch.schema().fields().iter().zip(batch.columns()) {
            t.push(
                field.name().clone(),
                Column::from_array(field.name(), array.as_ref(), field.is_nullable())?,
            );
        }
        Ok(t)
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::sample;
    use super::*;

    #[test]
    fn round_trips_through_arrow_with_missing_as_null() {
        let t = sample();
        let batch = t.clone().into_record_batch().unwrap();
        assert_eq!(batch.num_rows(), 3);
        assert_eq!(batch.column(4).null_count(), 1);
        assert!(batch.schema().field(4).is_nullable());
        assert!(!batch.schema().field(0).is_nullable());
        let back = Table::from_record_batch("t", &batch).unwrap();
        assert_eq!(back.schema(), t.schema());
        for i in 0..3 {
            assert_eq!(back.csv_record(i), t.csv_record(i));
        }
    }

    #[test]
    fn optional_ints_and_text_round_trip_with_their_nulls() {
        let t = Table::new("r")
            .with("tick", Column::OptI64(vec![Some(-3), None, Some(7)]))
            .with(
                "who",
                Column::OptStr(vec![None, Some("street".into()), Some("NA ok".into())]),
            )
            .with("id", Column::I64(vec![1, 2, 3]));
        assert_eq!(t.csv_record(1), ["NA", "street", "2"].map(String::from));
        let batch = t.clone().into_record_batch().unwrap();
        assert_eq!(batch.column(0).null_count(), 1);
        assert_eq!(batch.column(1).null_count(), 1);
        assert!(batch.schema().field(0).is_nullable() && !batch.schema().field(2).is_nullable());
        let back = Table::from_record_batch("r", &batch).unwrap();
        assert_eq!(back, t);
        // A plain int64 column of a field that may not be null refuses nulls.
        let a = Int64Array::from(vec![Some(1), None]);
        assert!(Column::from_array("x", &a, false).is_err());
        assert_eq!(
            Column::from_array("x", &a, true).unwrap(),
            Column::OptI64(vec![Some(1), None])
        );
        // Rows of a table whose column may be missing do not go into one whose may not.
        let mut plain = Table::new("r").with("tick", Column::I64(vec![1]));
        let opt = Table::new("r").with("tick", Column::OptI64(vec![None]));
        assert!(plain.append(opt).is_err());
    }

    #[test]
    fn number_buffers_are_moved_not_copied() {
        let v = vec![1.0, 2.0, 3.0];
        let ptr = v.as_ptr();
        let a = Column::F64(v).into_array();
        let f = a.as_any().downcast_ref::<Float64Array>().unwrap();
        assert_eq!(f.values().as_ptr(), ptr);
    }

    #[test]
    fn unsupported_types_are_refused_with_the_column_name() {
        let a = arrow_array::Int32Array::from(vec![1]);
        let e = Column::from_array("n", &a, false).unwrap_err().to_string();
        assert!(e.contains("`n`") && e.contains("Int32"), "{e}");
    }
}
