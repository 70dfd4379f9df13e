use std::path::Path;
fn main() {
    let rules = match dossier::rules::RuleSet::embedded() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2)
        }
    };
    for arg in std::env::args().skip(1) {
        let report = rules.check_path(Path::new(&arg), &Default::default());
        println!("{} {:?}", arg, report.verdict());
        for f in &report.findings {
            println!(
                "  {:?} {:?} {} {} {:?}",
                f.status,
                f.severity,
                f.rule,
                f.message.render(dossier::lang::Lang::Zh, false),
                f.path
            );
        }
    }
}
