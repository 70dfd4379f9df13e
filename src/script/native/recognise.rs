//! From rhai's syntax tree to a [`Node`], or `None` for anything not a
//! simple shape. The tree is rhai's own parse of the script, so precedence,
//! quoting and comments are never second-guessed here.

use rhai::{AST, ASTFlags, ASTNode, Expr, FnCallExpr, ImmutableString, Stmt};

use super::{Comparison, Helper, MOST_INLINED_CALLS, MOST_NODES, Node};

/// The one expression of a deciding script, recognised.
pub(super) fn script(ast: &AST) -> Option<Node> {
    let mut recogniser = Recogniser {
        ast,
        nodes: 0,
        inlined: 0,
    };
    let mut frame = Frame {
        names: Vec::new(),
        function: false,
    };
    recogniser.block(ast.statements(), &mut frame)
}

/// The names a part of a script sees besides the rule's variables: the
/// parameters of the script function whose body it is, then the variables
/// declared with `let` on the way to it, each evaluated as
/// [`Node::Parameter`] by its place here.
struct Frame {
    names: Vec<ImmutableString>,
    /// A script function's body sees only its own names (rhai functions
    /// cannot read the rule's variables); the rule's script sees the
    /// rule's variables too.
    function: bool,
}

impl Frame {
    /// The node that reads `name`: the latest of that name declared here
    /// (as a scope finds it), else the rule's variable.
    fn variable(&self, name: &ImmutableString) -> Option<Node> {
        match self.names.iter().rposition(|n| n == name) {
            Some(index) => Some(Node::Parameter(index)),
            None if self.function => None,
            None => Some(Node::Variable(name.clone())),
        }
    }
}

struct Recogniser<'a> {
    ast: &'a AST,
    nodes: usize,
    /// Script functions inlined on the way to the current node.
    inlined: usize,
}

impl Recogniser<'_> {
    /// A block of one expression, after any number of `let x = <expr>;`
    /// (each seen by what follows it in the block, and nowhere else).
    fn block(&mut self, statements: &[Stmt], frame: &mut Frame) -> Option<Node> {
        match statements {
            [statement] => match statement {
                Stmt::Expr(expr) => self.expr(expr, frame),
                Stmt::FnCall(call, _) => self.call(call, frame),
                _ => None,
            },
            [Stmt::Var(declaration, flags, _), rest @ ..] if !rest.is_empty() => {
                let (name, value, index) = declaration.as_ref();
                // Only a plain `let`: not `const` (which rhai may fold) nor
                // `export`, and not a slot rhai's optimiser reuses.
                if !flags.is_empty() || index.is_some() {
                    return None;
                }
                self.nodes += 1;
                let value = self.expr(value, frame)?;
                frame.names.push(name.name.clone());
                let body = self.block(rest, frame);
                frame.names.pop();
                Some(Node::Let {
                    value: Box::new(value),
                    body: Box::new(body?),
                })
            }
            _ => None,
        }
    }

    fn expr(&mut self, expr: &Expr, frame: &mut Frame) -> Option<Node> {
        self.nodes += 1;
        if self.nodes > MOST_NODES {
            return None;
        }
        match expr {
            Expr::BoolConstant(value, _) => Some(Node::Constant((*value).into())),
            Expr::IntegerConstant(value, _) => Some(Node::Constant((*value).into())),
            Expr::StringConstant(value, _) => Some(Node::Constant(value.clone().into())),
            Expr::Unit(_) => Some(Node::Constant(rhai::Dynamic::UNIT)),
            Expr::Variable(variable, _, _) => frame.variable(&variable.1),
            Expr::Dot(chain, flags, _) if !flags.intersects(ASTFlags::NEGATED) => {
                let Expr::Property(property, _) = &chain.rhs else {
                    return None;
                };
                let map = self.expr(&chain.lhs, frame)?;
                if !matches!(map, Node::Variable(_) | Node::Parameter(_)) {
                    return None;
                }
                Some(Node::Field(Box::new(map), property.2.clone()))
            }
            Expr::And(operands, _) => Some(Node::And(self.all(operands, frame)?)),
            Expr::Or(operands, _) => Some(Node::Or(self.all(operands, frame)?)),
            Expr::FnCall(call, _) => self.call(call, frame),
            Expr::Stmt(block) => self.block(block.statements(), frame),
            _ => None,
        }
    }

    fn all(&mut self, exprs: &[Expr], frame: &mut Frame) -> Option<Vec<Node>> {
        exprs.iter().map(|e| self.expr(e, frame)).collect()
    }

    fn call(&mut self, call: &FnCallExpr, frame: &mut Frame) -> Option<Node> {
        if call.capture_parent_scope {
            return None;
        }
        let name = call.name.as_str();
        let arity = call.args.len();
        let arguments = self.all(&call.args, frame)?;
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
            let mut own = Frame {
                names: function.params.to_vec(),
                function: true,
            };
            self.inlined += 1;
            let body = self.block(&body, &mut own);
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
