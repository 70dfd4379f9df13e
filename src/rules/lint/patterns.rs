//! `matches(value, "pattern")`: the pattern must be a literal string, so it
//! is compiled once when the rules load (and a broken one is a load error
//! with its place), never while judging a bundle.

use rhai::Expr;

use super::{Call, Problem, ScriptLint, ScriptSource, for_each_call, start_of};
use crate::rules::error::LoadErrorKind;
use crate::rules::pattern;

use crate::script::MATCHES;

pub fn check(lint: &ScriptLint<'_>, script: &ScriptSource<'_>, problems: &mut Vec<Problem>) {
    for_each_call(script.ast, |call| check_call(lint, script, call, problems));
}

fn check_call(
    lint: &ScriptLint<'_>,
    script: &ScriptSource<'_>,
    call: &Call<'_>,
    problems: &mut Vec<Problem>,
) {
    // The pattern is the last argument written: `matches(v, p)` or `v.matches(p)`;
    // a call with another arity is the arity pass's to report.
    if call.name != MATCHES || call.arity != 2 {
        return;
    }
    let Some(argument) = call.args.last() else {
        return;
    };
    let Expr::StringConstant(source, at) = argument else {
        problems.push(Problem {
            position: script.place(start_of(argument), 0),
            kind: LoadErrorKind::Invalid(
                "the pattern of `matches` must be a literal string such as \"[0-9]{6}\", \
                 so it is compiled once when the rules load"
                    .to_string(),
            ),
        });
        return;
    };
    if lint.patterns.borrow().contains_key(source.as_str()) {
        return;
    }
    match pattern::compile(source, lint.limits) {
        Ok(compiled) => {
            lint.patterns
                .borrow_mut()
                .insert(source.to_string(), compiled);
        }
        Err(error) => problems.push(Problem {
            // One column for the opening quote; escapes are not counted.
            position: script.place(*at, error.offset.map_or(0, |o| o + 1)),
            kind: LoadErrorKind::Invalid(error.message),
        }),
    }
}
