//! The library's error type. Errors in user input (scenario files, command-line values)
//! are [`Error::Input`] and make the binary exit with status 2.

use std::path::PathBuf;

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad user input: the message names the file, position and key path where known.
    #[error("{0}")]
    Input(String),
    /// Reading or writing a file failed.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory involved.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// Writing or reading CSV failed.
    #[error("{path}: {source}")]
    Csv {
        /// The file involved.
        path: PathBuf,
        /// The underlying error.
        source: csv::Error,
    },
    /// The run was interrupted (Ctrl-C); finished work was kept.
    #[error("interrupted; finished work was kept")]
    Interrupted,
}

impl Error {
    /// An input error with a message.
    pub fn input(msg: impl Into<String>) -> Self {
        Error::Input(msg.into())
    }

    /// An I/O error on `path`.
    pub fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Error::Io {
            path: path.into(),
            source,
        }
    }
}

/// Result with the library's error.
pub type Result<T, E = Error> = std::result::Result<T, E>;
