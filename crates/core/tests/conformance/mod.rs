//! Checking answers against Xero's published OpenAPI specs (vendored in `../xero-openapi/`):
//! loading a spec and finding an answer's operation ([`spec`]), turning its OpenAPI 3.0 schemas
//! into strict JSON Schema ([`schema`]), and the few places where a spec contradicts Xero's own
//! examples ([`errata`]).
//!
//! Included with `mod conformance;` by more than one test, each using part of it.
#![allow(dead_code)]

pub mod errata;
pub mod schema;
pub mod spec;
