//! The model's submodels: small rules, each built on a published form and cited there.
//! The engine's phases call these; the verification suite calls the same functions.

pub mod activation;
pub mod bounded_confidence;
