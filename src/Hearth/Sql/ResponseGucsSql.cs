namespace Hearth.Sql;

/// <summary>
/// The two columns every API statement returns for response.headers and response.status. When nothing in
/// the database can set them (Schema.SettingsUse), they are constant nulls: no lookups per statement.
/// </summary>
public static class ResponseGucsSql
{
    public static string Columns(bool used) => used
        ? "nullif(current_setting('response.headers', true), ''), nullif(current_setting('response.status', true), '')"
        : "null::text, null::text";
}
