//! Waivers: a reviewer's justified exceptions, kept apart from the rules.
//!
//! A waiver file names the rule, the bundle (and, where it matters, the
//! party, material or manifest path), the reason, who approved it and when
//! it expires. A failing finding it matches is reported as `waived` with that
//! justification and no longer fails the bundle. A waiver past its expiry
//! does not apply and the report says so; a waiver that matches nothing in a
//! bundle it names is reported as a warning, so stale exceptions surface.

mod apply;
mod file;
mod pattern;

pub use apply::{WAIVER_EXPIRED, WAIVER_UNUSED, apply_waivers};
pub use file::{WAIVERS_FORMAT, Waiver, WaiverError, Waivers};
pub use pattern::bundle_matches;
