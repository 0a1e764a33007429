using Hearth.Request;
using Hearth.Errors;

namespace Hearth.Tests.Request;

/// <summary>
/// Random and mutated query strings: the parser may accept or reject them, but a rejection must always be
/// a PGRST100 ApiException, never another exception type.
/// </summary>
public class ParserFuzzTests
{
    private const string Alphabet = "abcnotreqinslkdu_->:!.,()\"\\{}[]*=&;%+ 0123456789é\t\n";

    private static readonly string[] Seeds =
    [
        "select=id,name,alias:col::text,meta->a->>b,data->0,rel!fk!inner(*,...sp(x)),count(),amount.sum()::int",
        "age=gt.18&name=not.like(any).{a*,b*}&tags=cs.{1,2}&r=ov.[1,5)&t=fts(english).cat&i=in.(a,\"b,c\")&n=is.NULL",
        "or=(a.eq.1,and(b.gt.2,not.or(c.is.null,d.in.(1,2))),e.eq.\"x,y\")&books.not.and=(id.eq.1)",
        "order=a.desc.nullslast,b,author(name).asc.nullsfirst,j->k.desc&books.order=id&limit=10&offset=5&books.limit=2",
        "columns=a,b&on_conflict=a&books.authors.name=eq.x&meta->>lang=eq.en",
    ];

    private static string? Outcome(string query, bool isRpcRead)
    {
        try
        {
            QueryStringParser.Parse(query, isRpcRead);
            return null;
        }
        catch (ApiException e) when (e.Error.Code == "PGRST100" && e.Error.Status == 400)
        {
            return null;
        }
        catch (Exception e)
        {
            return $"{e.GetType().Name} for {query}: {e.Message}";
        }
    }

    [Test]
    public async Task Random_strings_only_raise_parse_errors()
    {
        var random = new Random(20240611);
        var failures = new List<string>();
        var keys = new[] { "select=", "order=", "or=", "not.and=", "a=", "b.c=", "limit=", "columns=", "on_conflict=", "x->y=" };
        for (var i = 0; i < 20000; i++)
        {
            var length = random.Next(0, 30);
            var chars = new char[length];
            for (var j = 0; j < length; j++) chars[j] = Alphabet[random.Next(Alphabet.Length)];
            var query = keys[random.Next(keys.Length)] + new string(chars);
            if (Outcome(query, i % 2 == 0) is { } failure) failures.Add(failure);
        }
        await Assert.That(failures).IsEmpty();
    }

    [Test]
    public async Task Mutated_valid_queries_only_raise_parse_errors()
    {
        var random = new Random(7);
        var failures = new List<string>();
        foreach (var seed in Seeds)
        {
            // Each seed is valid as written.
            await Assert.That(Outcome(seed, false)).IsNull();
            for (var i = 0; i < 4000; i++)
            {
                var chars = seed.ToList();
                var edits = random.Next(1, 4);
                for (var e = 0; e < edits && chars.Count > 0; e++)
                {
                    var at = random.Next(chars.Count);
                    switch (random.Next(3))
                    {
                        case 0: chars.RemoveAt(at); break;
                        case 1: chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]); break;
                        default: chars[at] = Alphabet[random.Next(Alphabet.Length)]; break;
                    }
                }
                var query = new string(chars.ToArray());
                if (Outcome(query, random.Next(2) == 0) is { } failure) failures.Add(failure);
            }
        }
        await Assert.That(failures).IsEmpty();
    }

    [Test]
    public async Task Truncations_of_valid_queries_only_raise_parse_errors()
    {
        var failures = new List<string>();
        foreach (var seed in Seeds)
        {
            for (var cut = 0; cut <= seed.Length; cut++)
            {
                if (Outcome(seed[..cut], false) is { } failure) failures.Add(failure);
            }
        }
        await Assert.That(failures).IsEmpty();
    }

    [Test]
    public async Task Odd_encodings_only_raise_parse_errors()
    {
        var queries = new[]
        {
            "a=eq.%", "a=eq.%zz", "a=eq.%C3", "a=eq.%ED%A0%80", "select=%F0%9F%98%80", "select=a->%F0%9F%98%80",
            "%=1", "select=\ud83d", "a=eq.\0", "or=(a.eq.\ud800)", "order=%E2%80%8B",
        };
        var failures = queries.Select(q => Outcome(q, false)).OfType<string>().ToList();
        await Assert.That(failures).IsEmpty();
    }
}
