using System.Text.Json.Nodes;
using GraphQLParser.AST;

namespace Pulse.GitHubSimulator.GraphQL.Execution;

internal sealed partial class Executor
{
    /// <summary>PullRequest.timelineItems(first/after/last/before, itemTypes, since, skip): the chosen items, paged like any connection.</summary>
    private TimelinePage? ResolveTimeline(JsonObject pr, GraphQLField field, ResponsePath path, out bool errored)
    {
        errored = false;
        var v = _plan.Variables;
        var items = TimelineItems.Select(pr, QueryValues.Argument(field, "itemTypes", v) as JsonArray, QueryValues.Argument(field, "since", v), out var error);
        var skip = QueryValues.IntArgument(field, "skip", v) ?? 0;
        if (items is null || skip < 0)
        {
            AddError(null, error ?? $"`skip` on the `timelineItems` connection cannot be less than 0, received {skip}.", path, field);
            errored = true;
            return null;
        }
        var page = PageOf(items, field, path, out errored, Math.Min(skip, int.MaxValue));
        return page is null ? null : new TimelinePage(page, pr["updatedAt"]);
    }

    /// <summary>
    /// The fields of PullRequestTimelineItemsConnection beyond a plain connection's. totalCount counts GitHub's whole
    /// timeline whatever itemTypes and since say (observed: strands-labs/robots PR 2147, "a timelineItems itemTypes
    /// filter does not narrow totalCount"), which holds item types no data set records: it is refused, not guessed.
    /// </summary>
    private object? ResolveTimelinePage(TimelinePage timeline, string name, GraphQLField field, ResponsePath path, out bool errored)
    {
        errored = false;
        switch (name)
        {
            case "totalCount":
                AddError(null, "The simulator does not serve PullRequestTimelineItemsConnection.totalCount: GitHub counts every item of the timeline there, "
                    + "whatever itemTypes and since say, and no data set records every item type. filteredCount counts the items asked for.", path, field);
                errored = true;
                return null;
            case "filteredCount": return timeline.Page.FilteredCount;
            case "pageCount": return timeline.Page.End - timeline.Page.Start;
            // The PR's updatedAt: it moves with every change to the timeline, and the timeline's own latest item is
            // unknowable while most item types are not recorded.
            case "updatedAt": return timeline.UpdatedAt;
            default: return ResolveConnection(timeline.Page, name) ?? Refuse(ServedFields.NotServed("PullRequestTimelineItemsConnection", name), field, path, out errored);
        }
    }
}

/// <summary>A page of PullRequest.timelineItems and the time its timeline last changed.</summary>
internal sealed record TimelinePage(Connection Page, JsonNode? UpdatedAt);
