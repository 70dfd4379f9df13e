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
pub mod spelling;
pub mod uscc;

#[cfg(test)]
mod proptests;

pub use normalize::is_unsafe;
pub use normalize::normalize_identifier;
