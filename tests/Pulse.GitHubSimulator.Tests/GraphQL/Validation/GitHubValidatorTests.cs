using System.Text.Json.Nodes;

namespace Pulse.GitHubSimulator.Tests.GraphQL.Validation;

public class GitHubValidatorTests
{
    private static JsonObject SingleError(string query, JsonObject? variables = null)
    {
        var plan = TestDataSet.Prepare(query, variables);
        return Assert.Single(plan.Errors);
    }

    private static string Path(JsonObject error) => error["path"]!.ToJsonString();

    [Fact]
    public void Prepare_UnknownField_GitHubUndefinedField()
    {
        var error = SingleError("{ repository(owner: \"a\", name: \"b\") { pullRequest(number: 1) { bogus } } }");
        Assert.Equal("Field 'bogus' doesn't exist on type 'PullRequest'", (string?)error["message"]);
        Assert.Equal("undefinedField", (string?)error["extensions"]!["code"]);
        Assert.Equal("PullRequest", (string?)error["extensions"]!["typeName"]);
        Assert.Equal("bogus", (string?)error["extensions"]!["fieldName"]);
        Assert.Equal("""["query","repository","pullRequest","bogus"]""", Path(error));
        Assert.Equal("""[{"line":1,"column":64}]""", error["locations"]!.ToJsonString());
    }

    [Fact]
    public void Prepare_UnknownArgument_ArgumentNotAccepted()
    {
        var error = SingleError("query Q { repository(owner: \"a\", name: \"b\") { pullRequests(first: 1, foo: 2) { totalCount } } }");
        Assert.Equal("Field 'pullRequests' doesn't accept argument 'foo'", (string?)error["message"]);
        Assert.Equal("argumentNotAccepted", (string?)error["extensions"]!["code"]);
        Assert.Equal("""["query Q","repository","pullRequests","foo"]""", Path(error));
    }

    [Fact]
    public void Prepare_MissingRequiredArgument_MissingRequiredArguments()
    {
        var error = SingleError("{ repository(owner: \"a\") { name } }");
        Assert.Equal("Field 'repository' is missing required arguments: name", (string?)error["message"]);
        Assert.Equal("missingRequiredArguments", (string?)error["extensions"]!["code"]);
        Assert.Equal("""["query","repository"]""", Path(error));
    }

    [Fact]
    public void Prepare_WrongLiteral_ArgumentLiteralsIncompatible()
    {
        var error = SingleError("{ repository(owner: \"a\", name: \"b\") { pullRequests(first: \"x\") { totalCount } } }");
        Assert.Equal("Argument 'first' on Field 'pullRequests' has an invalid value (\"x\"). Expected type 'Int'.", (string?)error["message"]);
        Assert.Equal("argumentLiteralsIncompatible", (string?)error["extensions"]!["code"]);
    }

    [Fact]
    public void Prepare_UndeclaredVariable_VariableNotDefined()
    {
        var error = SingleError("query Q { repository(owner: \"a\", name: \"b\") { pullRequests(first: $n) { totalCount } } }");
        Assert.Equal("Variable $n is used by Q but not declared", (string?)error["message"]);
        Assert.Equal("variableNotDefined", (string?)error["extensions"]!["code"]);
    }

    [Fact]
    public void Prepare_VariableOfWrongType_VariableMismatch()
    {
        var error = SingleError("query Q($n: String) { repository(owner: \"a\", name: \"b\") { pullRequests(first: $n) { totalCount } } }");
        Assert.Equal("Type mismatch on variable $n and argument first (String / Int)", (string?)error["message"]);
        Assert.Equal("variableMismatch", (string?)error["extensions"]!["code"]);
    }

    [Fact]
    public void Prepare_UnknownFragmentType_UndefinedType()
    {
        var error = SingleError("{ viewer { ... on Foo { login } } }");
        Assert.Equal("No such type Foo, so it can't be a fragment condition", (string?)error["message"]);
        Assert.Equal("undefinedType", (string?)error["extensions"]!["code"]);
    }

    [Fact]
    public void Prepare_UndefinedFragment_UseAndDefineFragment()
    {
        var error = SingleError("{ viewer { ...Missing } }");
        Assert.Equal("Fragment Missing was used, but not defined", (string?)error["message"]);
        Assert.Equal("useAndDefineFragment", (string?)error["extensions"]!["code"]);
    }

    [Fact]
    public void Prepare_UnusedFragment_UseAndDefineFragment()
    {
        var error = SingleError("{ viewer { login } } fragment F on User { login }");
        Assert.Equal("Fragment F was defined, but not used", (string?)error["message"]);
    }

    [Fact]
    public void Prepare_UnusedVariable_VariableNotUsed()
    {
        var error = SingleError("query Q($x: Int) { viewer { login } }");
        Assert.Equal("Variable $x is declared by Q but not used", (string?)error["message"]);
        Assert.Equal("variableNotUsed", (string?)error["extensions"]!["code"]);
    }

    [Fact]
    public void Prepare_SyntaxError_GraphQLRubyParseError()
    {
        var error = SingleError("{ a }}");
        Assert.Equal("Parse error on \"}\" (RCURLY) at [1, 6]", (string?)error["message"]);
        Assert.Equal("""[{"line":1,"column":6}]""", error["locations"]!.ToJsonString());
    }

    [Fact]
    public void Prepare_OverlapDifferingOnlyInNullability_Accepted()
    {
        var plan = TestDataSet.Prepare("{ node(id: \"x\") { ... on User { name } ... on Team { name } } }");
        Assert.Empty(plan.Errors);
    }

    [Fact]
    public void Prepare_OverlapWithDifferentArguments_Rejected()
    {
        var plan = TestDataSet.Prepare("{ repository(owner: \"a\", name: \"b\") { x: pullRequest(number: 1) { id } x: pullRequest(number: 2) { id } } }");
        Assert.NotEmpty(plan.Errors);
    }

    [Fact]
    public void Prepare_OverlapWithDifferentFields_Rejected()
    {
        var plan = TestDataSet.Prepare("{ repository(owner: \"a\", name: \"b\") { x: name x: description } }");
        Assert.NotEmpty(plan.Errors);
    }
}
