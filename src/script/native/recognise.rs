//! From rhai's syntax tree to a [`Node`], or `None` for anything not a
//! simple shape. The tree is rhai's own parse of the script, so precedence,
//! quoting and comments are never second-guessed here.

use rhai::{AST, ASTFlags, ASTNode, Expr, FnCallExpr, ImmutableString, Stmt, StmtBlock};

use super::{Comparison, Helper, MOST_INLINED_CALLS, MOST_NODES, Node};

/// The one expression of a deciding script, recognised.
pub(super) fn script(ast: &AST) -> Option<Node> {
    let mut recogniser = Recogniser {
        ast,
        nodes: 0,
        inlined: 0,
    };
    recogniser.block(ast.statements(), None)
}

struct Recogniser<'a> {
    ast: &'a AST,
    nodes: usize,
    /// Script functions inlined on the way to the current node.
    inlined: usize,
}

impl Recogniser<'_> {
    /// A block of exactly one expression. `parameters` are those of the
    /// script function whose body this is (`None`: the rule's script, which
    /// reads the rule's variables).
    fn block(
        &mut self,
        statements: &[Stmt],
        parameters: Option<&[ImmutableString]>,
    ) -> Option<Node> {
        let [statement] = statements else {
            return None;
        };
        match statement {
            Stmt::Expr(expr) => self.expr(expr, parameters),
            Stmt::FnCall(call, _) => self.call(call, parameters),
            _ => None,
        }
    }

    fn expr(&mut self, expr: &Expr, parameters: Option<&[ImmutableString]>) -> Option<Node> {
        self.nodes += 1;
        if self.nodes > MOST_NODES {
            return None;
        }
        match expr {
            Expr::BoolConstant(value, _) => Some(Node::Constant((*value).into())),
            Expr::IntegerConstant(value, _) => Some(Node::Constant((*value).into())),
            Expr::StringConstant(value, _) => Some(Node::Constant(value.clone().into())),
            Expr::Variable(variable, _, _) => {
                let name = &variable.1;
                match parameters {
                    None => Some(Node::Variable(name.clone())),
                    // A function sees only its parameters.
                    Some(parameters) => parameters
                        .iter()
                        .position(|p| p == name)
                        .map(Node::Parameter),
                }
            }
            Expr::Dot(chain, flags, _) if !flags.intersects(ASTFlags::NEGATED) => {
                let Expr::Property(property, _) = &chain.rhs else {
                    return None;
                };
                let map = self.expr(&chain.lhs, parameters)?;
                if !matches!(map, Node::Variable(_) | Node::Parameter(_)) {
                    return None;
                }
                Some(Node::Field(Box::new(map), property.2.clone()))
            }
            Expr::And(operands, _) => Some(Node::And(self.all(operands, parameters)?)),
            Expr::Or(operands, _) => Some(Node::Or(self.all(operands, parameters)?)),
            Expr::FnCall(call, _) => self.call(call, parameters),
            Expr::Stmt(block) => self.statement_block(block, parameters),
            _ => None,
        }
    }

    fn statement_block(
        &mut self,
        block: &StmtBlock,
        parameters: Option<&[ImmutableString]>,
    ) -> Option<Node> {
        self.block(block.statements(), parameters)
    }

    fn all(&mut self, exprs: &[Expr], parameters: Option<&[ImmutableString]>) -> Option<Vec<Node>> {
        exprs.iter().map(|e| self.expr(e, parameters)).collect()
    }

    fn call(&mut self, call: &FnCallExpr, parameters: Option<&[ImmutableString]>) -> Option<Node> {
        if call.capture_parent_scope {
            return None;
        }
        let name = call.name.as_str();
        let arity = call.args.len();
        let arguments = self.all(&call.args, parameters)?;
        if call.is_operator_call() || matches!(name, "!" | "+" | "-") {
            return match (name, <[Node; 1]>::try_from(arguments)) {
                ("!", Ok([operand])) => Some(Node::Not(Box::new(operand))),
                (_, Ok(_)) => None,
                (_, Err(operands)) => binary(name, operands),
            };
        }
        // A script function with this name takes precedence over a helper
        // (rhai calls the script's): inline it when its body is simple. One
        // that shadows a helper stays in rhai altogether: which of the two
        // runs is rhai's business, not a guess made here.
        let mut defined = self.ast.iter_fn_def().filter(|f| f.name == name);
        if let Some(function) = defined.next() {
            if is_helper(name)
                || defined.next().is_some()
                || function.params.len() != arity
                || function.this_type.is_some()
                || self.inlined >= MOST_INLINED_CALLS
            {
                return None;
            }
            let body = function_body(self.ast, name, arity);
            self.inlined += 1;
            let body = self.block(&body, Some(&function.params));
            self.inlined -= 1;
            return Some(Node::Function {
                arguments,
                body: Box::new(body?),
            });
        }
        let helper = Helper::named(name, arity)?;
        Some(Node::Helper(helper, arguments))
    }
}

/// A function registered for scripts, by any arity.
fn is_helper(name: &str) -> bool {
    crate::script::HELPERS
        .iter()
        .chain(crate::script::DATE_HELPERS)
        .chain(crate::script::PATTERN_HELPERS)
        .any(|helper| helper.name == name)
}

/// The statements of the script function `name` of `arity`. rhai names no
/// function body outside its crate, so a copy holding only that function is
/// walked. (`clone_functions_only_filtered` would copy every function.)
fn function_body(ast: &AST, name: &str, arity: usize) -> Vec<Stmt> {
    let mut only = ast.clone();
    only.clear_statements();
    only.retain_functions(|_, _, n, a| n == name && a == arity);
    let mut statements = Vec::new();
    only.walk(&mut |path: &[ASTNode]| {
        if let [ASTNode::Stmt(statement)] = path {
            statements.push((*statement).clone());
        }
        true
    });
    statements
}

fn binary(operator: &str, operands: Vec<Node>) -> Option<Node> {
    let [left, right] = <[Node; 2]>::try_from(operands).ok()?;
    let (left, right) = (Box::new(left), Box::new(right));
    match operator {
        "+" => Some(Node::Add(left, right)),
        "-" => Some(Node::Subtract(left, right)),
        _ => Comparison::named(operator).map(|c| Node::Compare(c, left, right)),
    }
}
