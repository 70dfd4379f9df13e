//! Pure validators for the identifiers, names, dates and calendars found in
//! Chinese enterprise documents. Nothing here knows about bundles or rules.

pub mod calendar;
pub mod date;
pub mod email;
pub mod mask;
pub mod mobile;
pub mod name;
mod normalize;
pub mod ric;
pub mod uscc;

#[cfg(test)]
mod proptests;

pub(crate) use normalize::is_bidi_control;
pub use normalize::normalize_identifier;
