using System.CommandLine;
using SparseViT.Cli;
using SparseViT.Cli.Commands;

// Data goes to stdout or the named file; errors, progress and logs go to stderr (see ExitCodes for the contract).
var root = new RootCommand("sparsevit: find manipulated regions in images with SparseViT and write forensic records.");
foreach (var command in CommandCatalog.All()) root.Add(command);
return CliHost.Run(root, args);
