//! The `causeway` command: parses arguments, calls the library, prints diagnostics and sets
//! the exit status.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use causeway::diagnostics::{Diagnostic, Severity};
use causeway::{BuildOptions, build};

#[derive(Parser)]
#[command(
    name = "causeway",
    version,
    about = "Static sites that explain what causes a symptom, and when to see a doctor"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into public/ (or --output).
    Build {
        /// The site root, holding site.yaml.
        #[arg(long, default_value = ".")]
        root: PathBuf,
        /// Where to write the site (default: ROOT/public).
        #[arg(long)]
        output: Option<PathBuf>,
        /// Include articles marked `draft: true`.
        #[arg(long)]
        drafts: bool,
        /// Use this base URL instead of the one in site.yaml (for previews).
        #[arg(long, value_name = "URL")]
        base_url: Option<String>,
    },
}

fn print_diagnostics(diagnostics: &[Diagnostic]) {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    for d in diagnostics {
        eprint!("{}", d.render(color));
    }
}

fn print_failure(diagnostics: &[Diagnostic]) {
    print_diagnostics(diagnostics);
    let errors = diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .count();
    let files: std::collections::BTreeSet<_> = diagnostics.iter().map(|d| &d.file).collect();
    eprintln!(
        "{errors} error{} in {} file{}; nothing was written.",
        if errors == 1 { "" } else { "s" },
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    );
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build {
            root,
            output,
            drafts,
            base_url,
        } => {
            let options = BuildOptions {
                root,
                output,
                drafts,
                base_url,
                today: None,
            };
            match build(&options) {
                Ok(report) => {
                    print_diagnostics(&report.warnings);
                    println!(
                        "Built {} pages ({} articles, {} causes; {} files) into {} in {:.2} s",
                        report.pages,
                        report.articles,
                        report.causes,
                        report.files,
                        report.output.display(),
                        report.elapsed.as_secs_f64()
                    );
                    ExitCode::SUCCESS
                }
                Err(diagnostics) => {
                    print_failure(&diagnostics);
                    ExitCode::FAILURE
                }
            }
        }
    }
}
