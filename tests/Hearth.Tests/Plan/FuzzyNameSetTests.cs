using Hearth.Schema;

namespace Hearth.Tests.Plan;

/// <summary>
/// The fuzzyset metric behind PostgREST's "Perhaps you meant …" hints (trigram, then bigram, cosine candidates
/// rescored by normalized Levenshtein similarity), and the limits PostgREST puts on its table index.
/// </summary>
public class FuzzyNameSetTests
{
    [Test]
    public async Task An_equal_name_ignoring_case_is_the_only_match_with_score_one()
    {
        var set = new FuzzyNameSet(["Books", "books_view", "authors"]);
        await Assert.That(set.Matches("BOOKS").Single()).IsEqualTo((1.0, "Books"));
    }

    [Test]
    public async Task Trigram_candidates_are_ranked_by_edit_similarity()
    {
        var set = new FuzzyNameSet(["roles", "rolls", "films"]);
        // role/roles: one insertion in five; role/rolls: two edits in five; films shares no trigram.
        var matches = set.Matches("role");
        await Assert.That(matches.Count).IsEqualTo(2);
        await Assert.That(matches[0].Name).IsEqualTo("roles");
        await Assert.That(matches[0].Score).IsEqualTo(0.8).Within(1e-12);
        await Assert.That(matches[1].Name).IsEqualTo("rolls");
        await Assert.That(matches[1].Score).IsEqualTo(0.6).Within(1e-12);
    }

    [Test]
    public async Task Bigrams_are_tried_when_no_trigram_is_shared()
    {
        // "-abc-" and "-cab-" share no trigram but the bigram "ab"; abc/cab are two edits in three.
        var set = new FuzzyNameSet(["cab"]);
        await Assert.That(set.Best("abc")).IsEqualTo("cab");
        await Assert.That(set.Matches("abc").Single().Score).IsEqualTo(1.0 / 3).Within(1e-12);
        await Assert.That(set.Best("abc", 0.75)).IsNull();
    }

    [Test]
    public async Task Grams_ignore_punctuation_but_edits_do_not()
    {
        // user_profiles and userprofiles have the same grams; the underscore is still one edit.
        var set = new FuzzyNameSet(["user_profiles"]);
        await Assert.That(set.Matches("userprofiles").Single().Score).IsEqualTo(1 - 1.0 / 13).Within(1e-12);
        await Assert.That(new FuzzyNameSet(["abc"]).Best("xyz")).IsNull();
    }

    [Test]
    public async Task The_minimum_score_filters_after_rescoring()
    {
        var set = new FuzzyNameSet(["books", "book_counts"]);
        await Assert.That(set.Best("book", 0.75)).IsEqualTo("books"); // 0.8
        await Assert.That(set.Best("bk_cnt", 0.75)).IsNull(); // book_counts: five edits in 11
        await Assert.That(set.Best("bk_cnt")).IsEqualTo("book_counts");
    }

    [Test]
    public async Task Names_differing_only_in_case_are_one_entry()
    {
        await Assert.That(new FuzzyNameSet(["Users", "users", "USERS"]).Count).IsEqualTo(1);
        await Assert.That(new FuzzyNameSet([]).Best("anything")).IsNull();
    }

    [Test]
    [Arguments("kitten", "sitting", 1 - 3.0 / 7)]
    [Arguments("", "", 1.0)]
    [Arguments("abc", "", 0.0)]
    [Arguments("naïve", "naive", 0.8)]
    public async Task Similarity_is_one_minus_edits_over_the_longer_length(string a, string b, double expected)
    {
        await Assert.That(FuzzyNameSet.Similarity(a, b)).IsEqualTo(expected).Within(1e-12);
    }

    private static Relation Table(string name) => new("public", name, RelationKind.Table, [], []);

    [Test]
    public async Task Table_hints_skip_schemas_of_500_tables_or_more_as_postgrest_does()
    {
        static IEnumerable<Relation> Tables(int fillers) => [Table("books"), .. Enumerable.Range(0, fillers).Select(i => Table($"filler_{i}"))];
        await Assert.That(new SchemaModel(["public"], Tables(498), []).Similar.Table("public", "book")).IsEqualTo("books");
        await Assert.That(new SchemaModel(["public"], Tables(499), []).Similar.Table("public", "book")).IsNull();
        await Assert.That(new SchemaModel(["public", "other"], Tables(10), []).Similar.Table("other", "book")).IsNull();
    }
}
