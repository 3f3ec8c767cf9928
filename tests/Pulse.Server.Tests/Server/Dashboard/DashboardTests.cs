using Microsoft.Playwright;

namespace Pulse.Server.Tests.Server.Dashboard;

/// <summary>The dashboard in the system Chromium: sign in, add an integration, Run Now, watch the card finish live, search.</summary>
public sealed class DashboardTests
{
    [Fact]
    public async Task Dashboard_AddIntegrationRunNowAndSearch_UpdatesLiveWithoutConsoleErrors()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipUnless(File.Exists("/usr/bin/chromium"), "needs the system Chromium (apt-get install -y chromium)");
        await using var server = await ServerHarness.StartAsync("repos=1,prs=8,seed=7", embeddings: true, ct: ct);
        var (_, key) = await server.NewTenantAsync("acme");
        await using var browser = await DashboardBrowser.LaunchAsync();
        var page = browser.Page;
        await browser.SignInAsync(server.BaseAddress, key);

        await page.ClickAsync("nav a[data-page=integrations]");
        await page.FillAsync("input[name=github_url]", server.Simulator.GraphQLUrl.ToString());
        await page.FillAsync("input[name=owner]", server.Owner);
        // The form offers both sign-ins: the App's fields show only when chosen.
        await page.SelectOptionAsync("#auth-kind", "github_app");
        await Assertions.Expect(page.Locator("textarea[name=app_private_key]")).ToBeVisibleAsync();
        await page.SelectOptionAsync("#auth-kind", "tokens");
        await page.FillAsync("textarea[name=tokens]", ServerHarness.SimulatorToken);
        await page.ClickAsync("#integration-form button[type=submit]");
        await Assertions.Expect(page.Locator("#integrations tr")).ToHaveCountAsync(1);
        await browser.ScreenshotAsync("1-integration.png");

        await page.ClickAsync("nav a[data-page=jobs]");
        var card = page.Locator(".card").First;
        await Assertions.Expect(card.Locator("[data-testid=badge]")).ToHaveTextAsync("Ready");
        await Assertions.Expect(card.Locator(".step")).ToHaveCountAsync(4);
        await Assertions.Expect(card.Locator(".step .name").First).ToContainTextAsync("Pull Requests");
        await card.Locator("[data-action=run-now]").ClickAsync();
        await browser.ScreenshotAsync("2-running.png");
        // No reload: the WebSocket feed alone must bring the card to Finished.
        await Assertions.Expect(page.Locator(".card [data-testid=badge]").First).ToHaveTextAsync("Finished", new() { Timeout = 180_000 });
        await Assertions.Expect(page.Locator(".card .dot.finished")).ToHaveCountAsync(12);
        await browser.ScreenshotAsync("3-finished.png");

        // The integration shows its GitHub account's points left, never the token.
        await page.ClickAsync("nav a[data-page=integrations]");
        await Assertions.Expect(page.Locator("#integrations td.accounts")).ToContainTextAsync("of 5000 left");
        Assert.DoesNotContain(ServerHarness.SimulatorToken, await page.Locator("#integrations").InnerTextAsync());

        await page.ClickAsync("nav a[data-page=prs]");
        await Assertions.Expect(page.Locator("#prs tr").First).ToBeVisibleAsync();
        await page.ClickAsync("nav a[data-page=search]");
        await page.FillAsync("#search-form input[name=q]", "fix the build");
        await page.ClickAsync("#search-form button[type=submit]");
        await Assertions.Expect(page.Locator("#search-results li").First).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await browser.ScreenshotAsync("4-search.png");

        Assert.True(browser.ConsoleErrors.Count == 0, string.Join("\n", browser.ConsoleErrors));
    }
}
