namespace Hearth.Migrations;

/// <summary>A migration problem that stops startup; the message names the file.</summary>
public sealed class MigrationException(string message, Exception? inner = null) : Exception(message, inner);
