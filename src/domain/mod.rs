//! Pure validators for the identifiers, names, dates and calendars found in
//! Chinese enterprise documents. Nothing here knows about bundles or rules.
