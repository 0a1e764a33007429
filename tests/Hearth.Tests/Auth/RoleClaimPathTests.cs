using System.Text.Json;
using Hearth.Auth;
using Hearth.Hosting;

namespace Hearth.Tests.Auth;

/// <summary>--jwt-role-claim-key: where in the claims the role is found (PostgREST's syntax, old and JSONPath).</summary>
public class RoleClaimPathTests
{
    private const string Claims = """
        {"role":"top","app":{"roles":["reader","writer"]},"https://example.com/claims":{"role":"namespaced"},
         "realm_access":{"roles":["offline","app_editor","app_admin"]}}
        """;

    [Test]
    [Arguments(".role", "top")]
    [Arguments("$.role", "top")]
    [Arguments(".app.roles[1]", "writer")]
    [Arguments("$.app.roles[0]", "reader")]
    [Arguments("""."https://example.com/claims".role""", "namespaced")]
    [Arguments("""$["https://example.com/claims"].role""", "namespaced")]
    [Arguments("""$['https://example.com/claims'].role""", "namespaced")]
    [Arguments(""".realm_access.roles[?(@ ^== "app_")]""", "app_editor")]
    [Arguments(""".realm_access.roles[?(@ ==^ "_admin")]""", "app_admin")]
    [Arguments(""".realm_access.roles[?(@ == "offline")]""", "offline")]
    [Arguments(""".realm_access.roles[?(@ *== "edit")]""", "app_editor")]
    public async Task Finds_the_role(string path, string expected)
    {
        using var doc = JsonDocument.Parse(Claims);
        await Assert.That(RoleClaimPath.Parse(path).Find(doc.RootElement)?.GetString()).IsEqualTo(expected);
    }

    [Test]
    [Arguments(".missing")]
    [Arguments(".app.roles[5]")]
    [Arguments(".role.deeper")]
    [Arguments(""".realm_access.roles[?(@ == "none")]""")]
    public async Task A_path_leading_nowhere_finds_nothing(string path)
    {
        using var doc = JsonDocument.Parse(Claims);
        await Assert.That(RoleClaimPath.Parse(path).Find(doc.RootElement)).IsNull();
    }

    [Test]
    [Arguments("role")]
    [Arguments(".role##")]
    [Arguments("1234")]
    [Arguments(".role[?(@ =)]")]
    [Arguments(".\"unterminated")]
    [Arguments("")]
    public async Task Refuses_what_is_not_a_path(string path)
    {
        await Assert.That(() => RoleClaimPath.Parse(path)).Throws<HearthStartupException>();
    }
}
