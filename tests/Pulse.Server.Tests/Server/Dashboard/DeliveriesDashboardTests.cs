using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;
using Pulse.EndToEnd.Tests.Sync;
using Pulse.GitHubSimulator.Synthetic;
using Pulse.Server.Tests.Server.Webhooks;

namespace Pulse.Server.Tests.Server.Dashboard;

/// <summary>The dashboard in the system Chromium shows the recent webhook deliveries, each with its status, and a failed one's error (issue 15).</summary>
public sealed class DeliveriesDashboardTests
{
    [Fact]
    public async Task Integrations_RecentDeliveries_ShowEachStatusAndTheFailedOnesError()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipUnless(File.Exists("/usr/bin/chromium"), "needs the system Chromium (apt-get install -y chromium)");
        await using var rig = await WebhookRig.StartAsync("repos=1,prs=6,seed=7,big_body=false", dropRate: 0, Backend.Sqlite, ct);
        await rig.SyncAsync();
        var repo = (await ServerHarness.ReadAsync(await rig.Client.GetAsync("/api/prs?page_size=1", ct))).GetProperty("items")[0];
        JsonObject Op(string op, string field, JsonObject value) => new()
        {
            ["op"] = op, ["owner"] = SyntheticDataset.OrganizationLogin, ["repo"] = repo.GetProperty("repository").GetString()!.Split('/')[1],
            ["number"] = repo.GetProperty("number").GetInt32(), [field] = value,
        };

        // One delivery refreshed; then GitHub stops accepting the token, and the next one's refresh fails.
        var done = await DeliveryAsync(rig, Op("edit_pr", "fields", new JsonObject { ["title"] = "Retitled for the dashboard" }), "done");
        using (var control = new HttpClient { BaseAddress = rig.Simulator.BaseUrl })
            (await control.PostAsJsonAsync("/_sim/tokens/revoke", new JsonObject { ["token"] = ServerHarness.SimulatorToken }, ct)).EnsureSuccessStatusCode();
        var failed = await DeliveryAsync(rig, Op("add_comment", "comment", new JsonObject { ["body"] = "never refreshed" }), "failed");
        var error = failed.GetProperty("error").GetString()!;
        Assert.False(string.IsNullOrWhiteSpace(error));

        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await browser.SignInAsync(rig.Server.BaseAddress, rig.Key);
        await page.ClickAsync("nav a[data-page=integrations]");
        var doneRow = page.Locator($"#deliveries tr[data-delivery=\"{done.GetProperty("delivery_id").GetString()}\"]");
        var failedRow = page.Locator($"#deliveries tr[data-delivery=\"{failed.GetProperty("delivery_id").GetString()}\"]");
        await Assertions.Expect(doneRow.Locator(".delivery-status")).ToHaveTextAsync("done");
        await Assertions.Expect(doneRow).ToContainTextAsync("pull_request.edited");
        await Assertions.Expect(failedRow.Locator(".delivery-status")).ToHaveTextAsync("failed");
        await Assertions.Expect(failedRow).ToContainTextAsync("issue_comment.created");
        await Assertions.Expect(failedRow).ToHaveClassAsync("delivery-failed");
        await Assertions.Expect(failedRow).ToContainTextAsync(error);
        await Assertions.Expect(page.Locator("#deliveries-empty")).ToBeHiddenAsync();
        await browser.ScreenshotAsync("deliveries.png");

        Assert.True(browser.ConsoleErrors.Count == 0, string.Join("\n", browser.ConsoleErrors));
    }

    /// <summary>Applies the change and waits until its one delivery has the status; returns the delivery as the API lists it.</summary>
    private static async Task<JsonElement> DeliveryAsync(WebhookRig rig, JsonObject mutation, string status)
    {
        var id = (string)((await rig.MutateAsync(mutation))["deliveries"] as JsonArray ?? []).Single()!;
        var list = await WebhookRig.WaitForAsync(rig.DeliveriesAsync,
            d => d.EnumerateArray().Any(x => x.GetProperty("delivery_id").GetString() == id && x.GetProperty("status").GetString() == status),
            $"delivery {id} to be {status}");
        return list.EnumerateArray().Single(x => x.GetProperty("delivery_id").GetString() == id).Clone();
    }
}
