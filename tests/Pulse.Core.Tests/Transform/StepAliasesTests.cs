using System.Text;
using System.Text.Json;
using Pulse.Core.Transform;

namespace Pulse.Core.Tests.Transform;

public sealed class StepAliasesTests
{
    private static Dictionary<string, JsonDocument> Read(string json, params string[] wanted) =>
        StepAliases.Read(Encoding.UTF8.GetBytes(json), wanted.ToHashSet());

    [Fact]
    public void Read_MixedAnswer_ParsesTheWantedAliasesOnly()
    {
        var aliases = Read("""
            {"errors":[{"path":["c1"]}],"data":{"c1":{"commits":{"nodes":[{"x":[1,{"y":2}]}]}},"r1":{"reviews":{"nodes":[]}},
             "c2":{"commits":{"totalCount":3}},"rateLimit":{"cost":1}},"extensions":{"z":true}}
            """, "c1", "c2", "missing");

        Assert.Equal(["c1", "c2"], aliases.Keys.Order());
        Assert.Equal(2, aliases["c1"].RootElement.GetProperty("commits").GetProperty("nodes")[0].GetProperty("x")[1].GetProperty("y").GetInt32());
        Assert.Equal(3, aliases["c2"].RootElement.GetProperty("commits").GetProperty("totalCount").GetInt32());
    }

    [Fact]
    public void Read_NullAlias_IsReturnedAsNull()
    {
        var aliases = Read("""{"data":{"p1":null,"p2":{"id":"PR_2"}}}""", "p1");

        Assert.Equal(JsonValueKind.Null, Assert.Single(aliases).Value.RootElement.ValueKind);
    }

    [Fact]
    public void Read_NullData_HasNoAliases() => Assert.Empty(Read("""{"data":null,"errors":[]}""", "p1"));

    [Fact]
    public void Read_NoData_IsDamaged() => Assert.Throws<InvalidDataException>(() => Read("""{"errors":[]}""", "p1"));

    [Fact]
    public void Read_TruncatedAnswer_ThrowsAJsonException() =>
        Assert.ThrowsAny<JsonException>(() => Read("""{"data":{"p1":{"id":"PR_1"},"p2":{"id":""", "p1"));
}
