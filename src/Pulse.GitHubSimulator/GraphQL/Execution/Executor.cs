using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using GraphQL.Types;
using GraphQLParser.AST;
using Pulse.GitHubSimulator.Data;
using Pulse.GitHubSimulator.GraphQL.Schema;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

/// <summary>
/// Executes one prepared operation over the store and writes GitHub's body:
/// {"data": ...} then "errors" when some fields failed. Results are built as a light tree first
/// so a null in a non-null position can propagate to the nearest nullable parent (spec 6.4.4).
/// While it runs, a <see cref="WorkMeter"/> weighs what the query touches; past the context's resource
/// budget no further root field is started (GitHub's RESOURCE_LIMITS_EXCEEDED partial answer).
/// </summary>
internal sealed partial class Executor
{
    [ThreadStatic] private static ArrayBufferWriter<byte>? t_buffer;

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly SimulatorStore _store;
    private readonly PreparedQuery _plan;
    private readonly ExecutionContext _context;
    private readonly Dictionary<string, GraphQLFragmentDefinition> _fragments;
    private readonly List<JsonObject> _errors = [];
    private readonly Dictionary<SetOfType, List<CollectedField>> _collected = [];
    private FaultMode _fault;
    private long _touched;
    private WorkMeter _work = new(ProcessingModel.GitHub);
    /// <summary>Connections enclosing the value being completed: rows nested deeper cost more (<see cref="ProcessingModel.NestingFactor"/>).</summary>
    private int _depth;
    private bool _resourceLimited;

    private enum FaultMode { None, PullRequest, FirstListItem, Done }

    /// <summary>Thrown when a null reaches a non-null position; caught by the nearest nullable field or list item.</summary>
    private sealed class NullPropagation : Exception;

    public Executor(SimulatorStore store, PreparedQuery plan, ExecutionContext context)
    {
        _store = store;
        _plan = plan;
        _context = context;
        _fragments = plan.Document!.Definitions.OfType<GraphQLFragmentDefinition>()
            .GroupBy(f => (string)f.FragmentName.Name.Value).ToDictionary(g => g.Key, g => g.First());
    }

    public ExecutionResult Run()
    {
        _fault = _context.Fault == PartialFault.NullNodeWithError ? FaultMode.PullRequest : FaultMode.None;
        var data = RunOnce();
        if (_fault == FaultMode.PullRequest)
        {
            // No pull request in the answer: fault the first object of any list instead.
            _errors.Clear();
            _touched = 0;
            _work = new WorkMeter(ProcessingModel.GitHub);
            _resourceLimited = false;
            _fault = FaultMode.FirstListItem;
            data = RunOnce();
        }
        // One growing buffer per thread: answers run to megabytes, and a fresh stream per request
        // left its doubling copies on the large object heap.
        var buffer = t_buffer ??= new ArrayBufferWriter<byte>(64 * 1024);
        buffer.ResetWrittenCount();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WritePropertyName("data");
            Write(writer, data);
            if (_errors.Count > 0)
            {
                writer.WritePropertyName("errors");
                writer.WriteStartArray();
                foreach (var error in _errors) error.WriteTo(writer);
                writer.WriteEndArray();
            }
            writer.WriteEndObject();
        }
        var body = buffer.WrittenSpan.ToArray();
        return new ExecutionResult(body, _touched, Scaled(_work.Milliseconds), _resourceLimited);
    }

    private TimeSpan Scaled(double milliseconds) => TimeSpan.FromMilliseconds(milliseconds * _context.TimingScale);

    /// <summary>True when the work done so far has reached the resource budget: the next root field is not started.</summary>
    private bool OverBudget => _context.ResourceBudget is { } budget && Scaled(_work.Milliseconds) >= budget;

    private List<KeyValuePair<string, object?>>? RunOnce()
    {
        var rootType = _plan.Operation!.Operation == OperationType.Mutation ? "Mutation" : "Query";
        try
        {
            return CompleteObject(RootValue.Instance, rootType, CollectFields(rootType, [_plan.Operation.SelectionSet]), new ResponsePath(), isRoot: true);
        }
        catch (NullPropagation)
        {
            return null;
        }
    }

    /// <summary>The value standing for the Query type.</summary>
    private sealed class RootValue
    {
        public static readonly RootValue Instance = new();
    }

    private List<KeyValuePair<string, object?>> CompleteObject(object value, string typeName, List<CollectedField> collected, ResponsePath path, bool isRoot = false)
    {
        CountObject(value, typeName, collected);
        var result = new List<KeyValuePair<string, object?>>(collected.Count);
        var first = true;
        foreach (var collectedField in collected)
        {
            var (key, name, fields, definition) = collectedField;
            var field = fields[0];
            if (name == "__typename") { result.Add(new(key, typeName)); continue; }
            if (definition is null)
            {
                // Validation passed, so only introspection (__schema, __type) gets here: not served, and said so.
                if (isRoot)
                {
                    path.Push(key);
                    AddError(null, ServedFields.NotServed(typeName, name), path, field);
                    path.Pop();
                    throw new NullPropagation();   // __schema and __type are non-null: data is null, as for any non-null root that failed
                }
                continue;
            }
            // A dry run resolves rateLimit only; the other root fields are skipped, absent from the answer.
            if (isRoot && _plan.DryRun && name != "rateLimit") continue;
            var notFound = isRoot && first && _context.Fault == PartialFault.NotFound;
            first = false;
            path.Push(key);
            try
            {
                if (isRoot && name != "rateLimit" && (_resourceLimited || OverBudget))
                {
                    // GitHub stops and answers what it has: the first field left out carries the error.
                    if (!_resourceLimited) AddError("RESOURCE_LIMITS_EXCEEDED", "Resource limits for this query exceeded.", path, field);
                    _resourceLimited = true;
                    result.Add(new(key, CompleteValue(definition.ResolvedType!, null, collectedField, path, typeName, errored: true)));
                    continue;
                }
                if (notFound)
                {
                    AddError("NOT_FOUND", NotFoundMessage(field), path, field);
                    result.Add(new(key, CompleteValue(definition.ResolvedType!, null, collectedField, path, typeName, errored: true)));
                    continue;
                }
                var resolved = ResolveField(value, typeName, field, name, definition, path, out var errored);
                result.Add(new(key, CompleteValue(definition.ResolvedType!, resolved, collectedField, path, typeName, errored)));
            }
            finally
            {
                path.Pop();
            }
        }
        return result;
    }

    /// <summary>Turns a resolved value into output for its declared type; errored nulls propagate, missing data becomes zero.</summary>
    private object? CompleteValue(IGraphType type, object? value, CollectedField field, ResponsePath path, string parentType, bool errored)
    {
        if (type is NonNullGraphType nonNull)
        {
            // A value GitHub never leaves null that nothing resolved (the data set's gaps are reported where they are read).
            if (value is null && !errored)
            {
                AddError(null, $"The data set has no {parentType}.{field.Name}", path, field.Fields[0]);
                throw new NullPropagation();
            }
            var completed = CompleteValue(nonNull.ResolvedType!, value, field, path, parentType, errored);
            return completed ?? throw new NullPropagation();
        }
        if (value is null) return null;
        try
        {
            switch (type)
            {
                case ListGraphType list:
                    return CompleteList(list.ResolvedType!, value, field, path, parentType);
                case ScalarGraphType or EnumerationGraphType:
                    MeasureText(value);
                    return value;
                default:
                    return CompleteComposite(type, value, field, path);
            }
        }
        catch (NullPropagation)
        {
            return null;
        }
    }

    private List<object?> CompleteList(IGraphType itemType, object value, CollectedField field, ResponsePath path, string parentType)
    {
        var items = value switch
        {
            JsonArray array => array.Select(n => (object?)n).ToList(),
            IEnumerable<object?> list => list.ToList(),
            _ => [value],
        };
        var result = new List<object?>(items.Count);
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var errored = false;
            path.Push(i);
            try
            {
                if (item is not null && ShouldFault(item, itemType))
                {
                    AddError(null, SomethingWentWrong(), path, field.Fields[0]);
                    item = null;
                    errored = true;
                }
                result.Add(CompleteValue(itemType, item, field, path, parentType, errored));
            }
            finally
            {
                path.Pop();
            }
        }
        return result;
    }

    private object? CompleteComposite(IGraphType type, object value, CollectedField field, ResponsePath path)
    {
        var typeName = ConcreteType(type, value);
        var children = Children(field, typeName);
        if (value is not Connection) return CompleteObject(value, typeName, children, path);
        // One load per parent: a page of rows, or only a count when nothing but totalCount is asked.
        _depth++;
        try
        {
            if (children.All(c => c.Name is "totalCount" or "__typename")) _work.TotalCount();
            else _work.ConnectionPage(_depth);
            return CompleteObject(value, typeName, children, path);
        }
        finally
        {
            _depth--;
        }
    }

    /// <summary>Text costs GitHub by its size (bodies, messages, diff hunks); read in place, without a copy.</summary>
    private void MeasureText(object value)
    {
        if (value is JsonValue v && v.TryGetValue<JsonElement>(out var element) && element.ValueKind == JsonValueKind.String)
            _work.Text(JsonMarshal.GetRawUtf8Value(element).Length);
        else if (value is string s)
            _work.Text(s.Length);
        else if (value is JsonValue text && text.GetValueKind() == JsonValueKind.String)
            _work.Text(text.GetValue<string>().Length);
    }

    private bool ShouldFault(object item, IGraphType itemType)
    {
        if (_fault == FaultMode.FirstListItem) { _fault = FaultMode.Done; return true; }
        if (_fault == FaultMode.PullRequest && GitHubTypes.Unwrap(itemType).Name == "PullRequest") { _fault = FaultMode.Done; return true; }
        return false;
    }

    private string ConcreteType(IGraphType type, object value)
    {
        if (!GitHubTypes.IsAbstract(type)) return type.Name;
        if (value is JsonObject json)
        {
            if ((string?)json["__typename"] is { } name) return name;
            if ((string?)json["id"] is { } id && _store.FindById(id) is { } indexed) return indexed.TypeName;
        }
        // Embedded actors without __typename are users, by far the most common.
        return ((IAbstractGraphType)type).PossibleTypes.Any(t => t.Name == "User") ? "User"
            : ((IAbstractGraphType)type).PossibleTypes.First().Name;
    }

    private static object? ZeroValue(IGraphType type) => type switch
    {
        ListGraphType => new JsonArray(),
        EnumerationGraphType e => JsonValue.Create(e.Values.First().Name),
        IntGraphType or FloatGraphType or LongGraphType => JsonValue.Create(0),
        BooleanGraphType => JsonValue.Create(false),
        ScalarGraphType => JsonValue.Create(""),
        _ => new JsonObject(),
    };

    private void CountObject(object value, string typeName, List<CollectedField> collected)
    {
        if (value is not JsonObject) return;
        _touched++;
        _work.Object(typeName, _depth);
        switch (typeName)
        {
            case "Commit" when collected.Exists(c => c.Name is "additions" or "deletions" or "changedFiles" or "changedFilesIfAvailable"):
                _work.DiffStats(_depth);
                break;
            case "GitActor" when collected.Exists(c => c.Name == "user"):
                _work.GitActorUser(_depth);
                break;
        }
    }

    private void AddError(string? type, string message, ResponsePath path, GraphQLField field)
    {
        var error = new JsonObject();
        if (type is not null) error["type"] = type;
        error["path"] = path.ToJson();
        error["locations"] = _plan.Lines!.Locations(field);
        error["message"] = message;
        _errors.Add(error);
    }

    private string SomethingWentWrong()
    {
        var random = new Random(_context.FaultSeed);
        var id = $"{random.Next(0x1000, 0xFFFF):X4}:{random.Next(0x1000, 0xFFFF):X4}:{random.Next(0x100000, 0xFFFFFF):X6}:{random.Next(0x100000, 0xFFFFFF):X6}:{random.Next(0x10000000, int.MaxValue):X8}";
        return $"Something went wrong while executing your query. This may be the result of a timeout, or it could be a GitHub bug. Please include `{id}` when reporting this issue.";
    }

    private static void Write(Utf8JsonWriter writer, object? value)
    {
        switch (value)
        {
            case null: writer.WriteNullValue(); break;
            case string s: writer.WriteStringValue(s); break;
            case bool b: writer.WriteBooleanValue(b); break;
            case int i: writer.WriteNumberValue(i); break;
            case long l: writer.WriteNumberValue(l); break;
            case JsonNode node: node.WriteTo(writer); break;
            case List<KeyValuePair<string, object?>> obj:
                writer.WriteStartObject();
                foreach (var (k, v) in obj) { writer.WritePropertyName(k); Write(writer, v); }
                writer.WriteEndObject();
                break;
            case List<object?> list:
                writer.WriteStartArray();
                foreach (var v in list) Write(writer, v);
                writer.WriteEndArray();
                break;
            default: writer.WriteStringValue(value.ToString()); break;
        }
    }
}
