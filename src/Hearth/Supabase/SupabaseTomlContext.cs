using Tomlyn.Model;
using Tomlyn.Serialization;

namespace Hearth.Supabase;

/// <summary>Source-generated Tomlyn metadata for the untyped model: no reflection, so Native AOT stays warning-free.</summary>
[TomlSerializable(typeof(TomlTable))]
internal sealed partial class SupabaseTomlContext : TomlSerializerContext;
