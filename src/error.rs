//! The library's error type. Errors in user input (scenario files, command-line values)
//! are [`Error::Input`] and make the binary exit with status 2.

use std::path::PathBuf;

/// Where in a scenario a problem is: the file (or `(overrides)`), the 1-based line and
/// column when the file states the key, and the dotted key path when one is at fault.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    /// The file as named in the message.
    pub file: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column (in characters), when known.
    pub column: Option<usize>,
    /// Dotted key path such as `world.party_share`, when one key is at fault.
    pub key_path: Option<String>,
}

/// Everything the library can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Bad user input: the message names the file, position and key path where known.
    #[error("{0}")]
    Input(String),
    /// Bad user input in a scenario, with the place of its first problem as data (the
    /// message is the same as it would be for [`Error::Input`]).
    #[error("{message}")]
    Scenario {
        /// What is wrong and what is allowed; one line per problem.
        message: String,
        /// Where the first problem is.
        at: Location,
    },
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

    /// Whether the error is the user's (bad input: exit status 2).
    pub fn is_input(&self) -> bool {
        matches!(self, Error::Input(_) | Error::Scenario { .. })
    }

    /// Where in a scenario the problem is, when known.
    pub fn location(&self) -> Option<&Location> {
        match self {
            Error::Scenario { at, .. } => Some(at),
            _ => None,
        }
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
