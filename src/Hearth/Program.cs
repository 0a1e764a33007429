return await Hearth.Cli.HearthCli.RunAsync(args);
