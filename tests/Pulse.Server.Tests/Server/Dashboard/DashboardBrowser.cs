using Microsoft.Playwright;

namespace Pulse.Server.Tests.Server.Dashboard;

/// <summary>The system Chromium on one page of the dashboard, collecting console errors; screenshots go to artifacts/dashboard.</summary>
public sealed class DashboardBrowser : IAsyncDisposable
{
    public static readonly string Root = FindRoot();
    private static readonly string Artifacts = Path.Combine(Root, "artifacts", "dashboard");
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private DashboardBrowser(IPlaywright playwright, IBrowser browser, IPage page)
    {
        _playwright = playwright;
        _browser = browser;
        Page = page;
        page.Console += (_, m) => { if (m.Type == "error") ConsoleErrors.Add(m.Text); };
        page.PageError += (_, e) => ConsoleErrors.Add(e);
    }

    public IPage Page { get; }
    public List<string> ConsoleErrors { get; } = [];

    public static async Task<DashboardBrowser> LaunchAsync()
    {
        Directory.CreateDirectory(Artifacts);
        var playwright = await Playwright.CreateAsync();
        // The background-networking flags keep Chromium from reaching for Google's hosts on a closed network.
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"],
        });
        var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        return new DashboardBrowser(playwright, browser, page);
    }

    /// <summary>Opens the dashboard, signs in with the key and waits until the live feed is connected.</summary>
    public async Task SignInAsync(Uri server, string key)
    {
        await Page.GotoAsync(server.ToString());
        await Page.FillAsync("#api-key", key);
        await Page.ClickAsync("#login-form button[type=submit]");
        await Assertions.Expect(Page.Locator("#live")).ToHaveTextAsync("live");
    }

    public Task ScreenshotAsync(string name) =>
        Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Artifacts, name), FullPage = true });

    public async ValueTask DisposeAsync()
    {
        await _browser.DisposeAsync();
        _playwright.Dispose();
    }

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Pulse.slnx"))) dir = dir.Parent;
        return dir?.FullName ?? AppContext.BaseDirectory;
    }
}
