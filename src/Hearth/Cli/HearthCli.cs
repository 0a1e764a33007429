namespace Hearth.Cli;

public static class HearthCli
{
    public static Task<int> RunAsync(string[] args) => Task.FromResult(0);
}
