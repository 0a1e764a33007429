using System.Reflection;

namespace Hearth;

/// <summary>The product version (from the assembly's informational version, without the commit suffix).</summary>
public static class HearthVersion
{
    public static string Current { get; } =
        typeof(HearthVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "0.0.0";
}
