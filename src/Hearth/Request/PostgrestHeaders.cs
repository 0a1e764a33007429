using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Hearth.Request;

/// <summary>
/// The request headers PostgREST reads that ASP.NET Core has no typed property for, found in one pass over
/// the headers. Looking such a header up by name costs Kestrel a case-insensitive comparison with every
/// known header name of the same length before its own dictionary: a few hundred instructions per lookup,
/// per request, while most requests send none of them (bench/instructions.sh).
/// </summary>
public readonly record struct PostgrestHeaders(StringValues Prefer, StringValues RangeUnit, StringValues AcceptProfile, StringValues ContentProfile)
{
    public static PostgrestHeaders Of(IHeaderDictionary headers)
    {
        StringValues prefer = default, rangeUnit = default, acceptProfile = default, contentProfile = default;
        foreach (var (name, value) in headers)
        {
            // The length first: most headers are ruled out without comparing a character.
            switch (name.Length)
            {
                case 6 when name.Equals("Prefer", StringComparison.OrdinalIgnoreCase): prefer = value; break;
                case 10 when name.Equals("Range-Unit", StringComparison.OrdinalIgnoreCase): rangeUnit = value; break;
                case 14 when name.Equals("Accept-Profile", StringComparison.OrdinalIgnoreCase): acceptProfile = value; break;
                case 15 when name.Equals("Content-Profile", StringComparison.OrdinalIgnoreCase): contentProfile = value; break;
            }
        }
        return new PostgrestHeaders(prefer, rangeUnit, acceptProfile, contentProfile);
    }

    /// <summary>Accept-Profile selects the schema for GET, HEAD and OPTIONS, Content-Profile for the other methods.</summary>
    public StringValues ProfileFor(string method) =>
        HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method) ? AcceptProfile : ContentProfile;
}
