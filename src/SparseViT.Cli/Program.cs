using SparseViT.Cli;
using SparseViT.Cli.Output;

// Data goes to stdout or the named file; errors, progress and logs go to stderr (see ExitCodes for the contract).
return CliHost.Run(args, CliConsole.ForProcess());
