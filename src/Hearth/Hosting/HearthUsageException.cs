namespace Hearth.Hosting;

/// <summary>A configuration mistake found before anything starts (bad config.toml, unsafe secret): one line, exit code 2.</summary>
public sealed class HearthUsageException(string message) : Exception(message);
