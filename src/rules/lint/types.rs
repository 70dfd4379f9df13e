//! Comparisons whose two sides can never be equal or ordered because they
//! hold different kinds of value: a date field against text
//! (`doc.valid_until > "2025-06-16"`), a yes/no field against a number.
//! rhai would compare them at run time and find them simply unequal, so
//! the rule would silently pass or fail; here it is a load error with the
//! way to write it.

use rhai::{ASTNode, Expr, Stmt};

use super::{Problem, ScriptSource, start_of};
use crate::rules::FieldType;
use crate::rules::error::LoadErrorKind;

/// The kind of value an expression is known to give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    Number,
    Bool,
    Date,
}

impl Kind {
    pub fn of_field(field_type: FieldType) -> Kind {
        match field_type {
            FieldType::Date | FieldType::DateOrLongTerm => Kind::Date,
            FieldType::Bool => Kind::Bool,
            _ => Kind::Text,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Kind::Text => "text",
            Kind::Number => "a number",
            Kind::Bool => "true or false",
            Kind::Date => "a date",
        }
    }
}

/// What the lint knows of a rule's variables: the kind of `variable` (when
/// `field` is `None`) or of `variable.field`.
pub type KindOf<'a> = &'a dyn Fn(&str, Option<&str>) -> Option<Kind>;

/// Helpers whose result kind is fixed.
fn helper_kind(name: &str) -> Option<Kind> {
    match name {
        "date" | "add_days" | "add_months" | "add_years" | "birth_date" | "add_working_days" => {
            Some(Kind::Date)
        }
        "age_on" | "days_between" | "year" | "month" | "day" | "weekday" | "count_same"
        | "count_present" => Some(Kind::Number),
        "name_key" | "sex" => Some(Kind::Text),
        _ => None,
    }
}

fn kind_of(expr: &Expr, kinds: KindOf<'_>) -> Option<Kind> {
    match expr {
        Expr::StringConstant(..) | Expr::InterpolatedString(..) | Expr::CharConstant(..) => {
            Some(Kind::Text)
        }
        Expr::IntegerConstant(..) | Expr::FloatConstant(..) => Some(Kind::Number),
        Expr::BoolConstant(..) => Some(Kind::Bool),
        Expr::Variable(variable, ..) => kinds(&variable.1, None),
        Expr::Dot(binary, ..) => match (&binary.lhs, &binary.rhs) {
            (Expr::Variable(variable, ..), Expr::Property(property, _)) => {
                kinds(&variable.1, Some(&property.2))
            }
            _ => None,
        },
        Expr::FnCall(call, _) if !call.is_operator_call() => helper_kind(&call.name),
        _ => None,
    }
}

const COMPARISONS: [&str; 6] = ["==", "!=", "<", ">", "<=", ">="];

pub fn check(kinds: KindOf<'_>, script: &ScriptSource<'_>, problems: &mut Vec<Problem>) {
    script.ast.walk(&mut |path: &[ASTNode]| {
        let call = match path.last() {
            Some(ASTNode::Expr(Expr::FnCall(call, _)))
            | Some(ASTNode::Stmt(Stmt::FnCall(call, _))) => call,
            _ => return true,
        };
        if !call.is_operator_call() || !COMPARISONS.contains(&call.name.as_str()) {
            return true;
        }
        let [left, right] = call.args.as_slice() else {
            return true;
        };
        if let (Some(a), Some(b)) = (kind_of(left, kinds), kind_of(right, kinds))
            && a != b
        {
            problems.push(Problem {
                position: script.place(start_of(left), 0),
                kind: LoadErrorKind::Lint {
                    message: format!(
                        "`{}` compares {} with {}: they are never equal or in order",
                        script.source_of(left, right),
                        a.name(),
                        b.name()
                    ),
                    hint: Some(hint(&call.name, (left, a), (right, b), script)),
                },
            });
        }
        true
    });
}

/// How to write the comparison the author meant.
fn hint(
    operator: &str,
    left: (&Expr, Kind),
    right: (&Expr, Kind),
    script: &ScriptSource<'_>,
) -> String {
    let text = |expr: &Expr| script.text_of(expr);
    let date_of = |(expr, kind): (&Expr, Kind)| match (expr, kind) {
        (Expr::StringConstant(text, _), Kind::Text) => Some(format!("date(\"{text}\")")),
        (_, Kind::Date) => Some(text(expr)),
        _ => None,
    };
    if left.1 == Kind::Date || right.1 == Kind::Date {
        if let (Some(a), Some(b)) = (date_of(left), date_of(right)) {
            return match operator {
                "<" | "<=" => format!("compare dates as dates: `on_or_before({a}, {b})`"),
                ">" | ">=" => format!("compare dates as dates: `on_or_after({a}, {b})`"),
                _ => format!("compare dates as dates: `{a} {operator} {b}`"),
            };
        }
        return "a date compares with a date: write one as `date(\"YYYY-MM-DD\")`".to_string();
    }
    if left.1 == Kind::Bool || right.1 == Kind::Bool {
        return "a yes/no value compares with `true` or `false`".to_string();
    }
    "write both sides as the same kind of value: text in quotes, numbers without".to_string()
}
