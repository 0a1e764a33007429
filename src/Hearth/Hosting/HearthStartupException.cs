namespace Hearth.Hosting;

/// <summary>A startup problem the user can fix; its message is printed as is, without a stack trace.</summary>
public sealed class HearthStartupException(string message, Exception? inner = null) : Exception(message, inner);
