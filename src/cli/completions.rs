//! `cogov completions SHELL`: prints a shell-completion script.

use clap::CommandFactory;

/// Arguments of `cogov completions`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cogov completions bash > /etc/bash_completion.d/cogov\n  cogov completions zsh > ~/.zfunc/_cogov"
)]
pub struct Args {
    /// The shell to generate completions for.
    pub shell: clap_complete::Shell,
}

/// Writes the completion script for `args.shell` to stdout.
pub fn run<C: CommandFactory>(args: &Args) -> anyhow::Result<()> {
    let mut cmd = C::command();
    let name = cmd.get_name().to_string();
    clap_complete::generate(args.shell, &mut cmd, name, &mut std::io::stdout());
    Ok(())
}
