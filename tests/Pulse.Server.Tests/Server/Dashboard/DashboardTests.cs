using Microsoft.Playwright;

namespace Pulse.Server.Tests.Server.Dashboard;

/// <summary>The dashboard in the system Chromium: sign in, add an integration, Run Now, watch the card finish live, search.</summary>
public sealed class DashboardTests
{
    private static readonly string Artifacts = Path.Combine(FindRoot(), "artifacts", "dashboard");

    [Fact]
    public async Task Dashboard_AddIntegrationRunNowAndSearch_UpdatesLiveWithoutConsoleErrors()
    {
        var ct = TestContext.Current.CancellationToken;
        Assert.SkipUnless(File.Exists("/usr/bin/chromium"), "needs the system Chromium (apt-get install -y chromium)");
        await using var server = await ServerHarness.StartAsync("repos=1,prs=8,seed=7", embeddings: true, ct: ct);
        var (_, key) = await server.NewTenantAsync("acme");
        Directory.CreateDirectory(Artifacts);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        var consoleErrors = new List<string>();
        page.Console += (_, m) => { if (m.Type == "error") consoleErrors.Add(m.Text); };
        page.PageError += (_, e) => consoleErrors.Add(e);

        await page.GotoAsync(server.BaseAddress.ToString());
        await page.FillAsync("#api-key", key);
        await page.ClickAsync("#login-form button[type=submit]");
        await Assertions.Expect(page.Locator("#live")).ToHaveTextAsync("live");

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
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "1-integration.png"), FullPage = true });

        await page.ClickAsync("nav a[data-page=jobs]");
        var card = page.Locator(".card").First;
        await Assertions.Expect(card.Locator("[data-testid=badge]")).ToHaveTextAsync("Ready");
        await Assertions.Expect(card.Locator(".step")).ToHaveCountAsync(4);
        await Assertions.Expect(card.Locator(".step .name").First).ToContainTextAsync("Pull Requests");
        await card.Locator("[data-action=run-now]").ClickAsync();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "2-running.png"), FullPage = true });
        // No reload: the WebSocket feed alone must bring the card to Finished.
        await Assertions.Expect(page.Locator(".card [data-testid=badge]").First).ToHaveTextAsync("Finished", new() { Timeout = 180_000 });
        await Assertions.Expect(page.Locator(".card .dot.finished")).ToHaveCountAsync(12);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "3-finished.png"), FullPage = true });

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
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, "4-search.png"), FullPage = true });

        Assert.True(consoleErrors.Count == 0, string.Join("\n", consoleErrors));
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pulse.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? AppContext.BaseDirectory;
    }
}
