//! rhai built-ins whose result can be far larger than their input, checked
//! before they build it. rhai checks a value's size only after the operation
//! that made it: `s.split("")` of a 4 MiB string first built four million
//! strings (hundreds of megabytes, seconds), `s.replace("a", s)` a string of
//! terabytes. These versions, registered on the engine, take precedence over
//! the package ones and refuse such a call with the size error rhai itself
//! gives, so it is a rule error like any other limit.

use rhai::{
    Array, Dynamic, Engine, EvalAltResult, INT, ImmutableString, NativeCallContext, Position,
};

type Fallible<T> = Result<T, Box<EvalAltResult>>;

fn too_large(what: &str) -> Box<EvalAltResult> {
    EvalAltResult::ErrorDataTooLarge(what.to_string(), Position::NONE).into()
}

/// Fails before a list of `items` is built when it would exceed the limit.
fn items_fit(context: &NativeCallContext, items: usize) -> Fallible<()> {
    let limit = context.engine().max_array_size();
    if limit > 0 && items > limit {
        return Err(too_large("Size of array/BLOB"));
    }
    Ok(())
}

/// How many pieces `text.split(delimiter)` gives, counted without building them.
fn pieces(text: &str, delimiter: &str) -> usize {
    if delimiter.is_empty() {
        text.chars().count() + 2
    } else {
        text.matches(delimiter).count() + 1
    }
}

fn strings(pieces: impl Iterator<Item = impl Into<ImmutableString>>) -> Array {
    pieces.map(|p| Dynamic::from(p.into())).collect()
}

fn limit_segments(segments: INT, pieces: usize) -> usize {
    usize::try_from(segments.max(1)).map_or(pieces, |s| s.min(pieces))
}

/// `text` padded to `len` characters with copies of `padding`, its size
/// checked first and built with whole-block copies (rhai pushes one
/// character at a time: seconds for a few megabytes).
fn pad(
    context: &NativeCallContext,
    text: &mut ImmutableString,
    len: INT,
    padding: &str,
) -> Fallible<()> {
    let limit = context.engine().max_string_size();
    let Ok(len) = usize::try_from(len) else {
        return if len <= 0 {
            Ok(())
        } else {
            Err(too_large("Length of string"))
        };
    };
    let have = text.chars().count();
    let step = padding.chars().count();
    if len <= have || step == 0 {
        return Ok(());
    }
    let missing = len - have;
    let (whole, part) = (missing / step, missing % step);
    let bytes = text.len() + whole.saturating_mul(padding.len()) + padding.len();
    if limit > 0 && (len > limit || bytes > limit.saturating_add(padding.len())) {
        return Err(too_large("Length of string"));
    }
    let mut padded = String::with_capacity(bytes);
    padded.push_str(text);
    padded.push_str(&padding.repeat(whole));
    padded.extend(padding.chars().take(part));
    if limit > 0 && padded.len() > limit {
        return Err(too_large("Length of string"));
    }
    *text = padded.into();
    Ok(())
}

pub(super) fn register(engine: &mut Engine) {
    engine.register_fn(
        "pad",
        |context: NativeCallContext, text: &mut ImmutableString, len: INT, padding: &str| {
            pad(&context, text, len, padding)
        },
    );
    engine.register_fn(
        "pad",
        |context: NativeCallContext, text: &mut ImmutableString, len: INT, padding: char| {
            pad(&context, text, len, padding.encode_utf8(&mut [0; 4]))
        },
    );
    engine.register_fn(
        "split",
        |context: NativeCallContext,
         text: &mut ImmutableString,
         delimiter: &str|
         -> Fallible<Array> {
            items_fit(&context, pieces(text, delimiter))?;
            Ok(strings(text.split(delimiter).map(str::to_string)))
        },
    );
    engine.register_fn(
        "split",
        |context: NativeCallContext,
         text: &mut ImmutableString,
         delimiter: &str,
         segments: INT|
         -> Fallible<Array> {
            items_fit(&context, limit_segments(segments, pieces(text, delimiter)))?;
            let segments = usize::try_from(segments.max(1)).unwrap_or(usize::MAX);
            Ok(strings(
                text.splitn(segments, delimiter).map(str::to_string),
            ))
        },
    );
    engine.register_fn(
        "split",
        |context: NativeCallContext,
         text: &mut ImmutableString,
         delimiter: char|
         -> Fallible<Array> {
            items_fit(&context, text.matches(delimiter).count() + 1)?;
            Ok(strings(text.split(delimiter).map(str::to_string)))
        },
    );
    engine.register_fn(
        "split",
        |context: NativeCallContext, text: &mut ImmutableString| -> Fallible<Array> {
            items_fit(&context, text.split_whitespace().count())?;
            Ok(strings(text.split_whitespace().map(str::to_string)))
        },
    );
    engine.register_fn(
        "split_rev",
        |context: NativeCallContext,
         text: &mut ImmutableString,
         delimiter: &str|
         -> Fallible<Array> {
            items_fit(&context, pieces(text, delimiter))?;
            Ok(strings(text.rsplit(delimiter).map(str::to_string)))
        },
    );
    engine.register_fn(
        "split_rev",
        |context: NativeCallContext,
         text: &mut ImmutableString,
         delimiter: char|
         -> Fallible<Array> {
            items_fit(&context, text.matches(delimiter).count() + 1)?;
            Ok(strings(text.rsplit(delimiter).map(str::to_string)))
        },
    );
    engine.register_fn(
        "to_chars",
        |context: NativeCallContext, text: &str| -> Fallible<Array> {
            items_fit(&context, text.chars().count())?;
            Ok(text.chars().map(Dynamic::from).collect())
        },
    );
    engine.register_fn(
        "replace",
        |context: NativeCallContext,
         text: &mut ImmutableString,
         find: &str,
         with: &str|
         -> Fallible<()> {
            let count = pieces(text, find) - 1;
            let grown = count.saturating_mul(with.len().saturating_sub(find.len()));
            let limit = context.engine().max_string_size();
            if limit > 0 && text.len().saturating_add(grown) > limit {
                return Err(too_large("Length of string"));
            }
            *text = text.replace(find, with).into();
            Ok(())
        },
    );
    engine.register_fn(
        "replace",
        |context: NativeCallContext,
         text: &mut ImmutableString,
         find: char,
         with: &str|
         -> Fallible<()> {
            let count = text.matches(find).count();
            let grown = count.saturating_mul(with.len());
            let limit = context.engine().max_string_size();
            if limit > 0 && text.len().saturating_add(grown) > limit {
                return Err(too_large("Length of string"));
            }
            *text = text.replace(find, with).into();
            Ok(())
        },
    );
}

#[cfg(test)]
mod tests {
    use super::pieces;

    #[test]
    fn pad_gives_what_rhai_gives_fast() {
        let engine = crate::script::new_engine(&crate::limits::Limits::default(), None);
        for (script, expected) in [
            (r#"let s = "ab"; s.pad(5, "xy"); s"#, "abxyx"),
            (r#"let s = "ab"; s.pad(5, '名'); s"#, "ab名名名"),
            (r#"let s = "abc"; s.pad(2, "x"); s"#, "abc"),
            (r#"let s = "a"; s.pad(-1, "x"); s"#, "a"),
        ] {
            assert_eq!(engine.eval::<String>(script).unwrap(), expected, "{script}");
        }
        let error = engine
            .eval::<String>(r#"let s = "a"; s.pad(2000000, "名"); s"#)
            .unwrap_err();
        assert!(error.to_string().contains("Length of string"), "{error}");
    }

    #[test]
    fn pieces_are_counted_as_split_gives_them() {
        for (text, delimiter) in [
            ("a,b,,c", ","),
            ("abc", ""),
            ("", ","),
            ("", ""),
            ("名称", ""),
        ] {
            assert_eq!(
                pieces(text, delimiter),
                text.split(delimiter).count(),
                "{text:?} {delimiter:?}"
            );
        }
    }
}
