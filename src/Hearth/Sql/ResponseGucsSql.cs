namespace Hearth.Sql;

/// <summary>The two columns every API statement ends its row with before the body: response.headers and response.status.</summary>
public static class ResponseGucsSql
{
    public const string Columns = "nullif(current_setting('response.headers', true), ''), nullif(current_setting('response.status', true), '')";
}
