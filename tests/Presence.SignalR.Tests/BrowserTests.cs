using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>The demo page end to end in headless Chromium: teammates see each other come and go, their statuses, and when they were last seen.</summary>
public sealed class BrowserTests : IAsyncLifetime
{
    private readonly string _profiles = Directory.CreateTempSubdirectory("presence-chromium-").FullName;
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartDemoAsync(new Dictionary<string, string?>
    {
        // The page pings at the interval the server hands out; a short one exercises the heartbeat for real.
        ["Presence:HeartbeatInterval"] = "00:00:01",
        ["Presence:ConnectionTtl"] = "00:00:30",
    });

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_profiles, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be releasing its profile; the temp directory is cleaned by the OS eventually.
        }
    }

    [Fact]
    public void Two_teammates_see_each_other_and_their_statuses_and_a_closed_page_shows_last_seen()
    {
        using var alice = StartBrowser("alice");
        using var bob = StartBrowser("bob");

        SignIn(alice, "alice", "red");
        WaitForUser(alice, "alice", present: true);
        SignIn(bob, "bob", "red");

        WaitForUser(bob, "alice", present: true);
        WaitForUser(bob, "bob", present: true);
        WaitForUser(alice, "bob", present: true);
        Assert.Equal("2", alice.FindElement(By.Id("online-count")).Text);

        alice.FindElement(By.CssSelector("#my-status option[value='away']")).Click();
        Wait(bob, "alice's status never reached bob", d => d.FindElements(By.CssSelector("#online li[data-user-id='alice'][data-status='away']")).Count == 1);
        Assert.Equal("away", bob.FindElement(By.CssSelector("#online li[data-user-id='alice'] .detail")).Text);

        bob.Quit();

        WaitForUser(alice, "bob", present: false);
        WaitForUser(alice, "alice", present: true);
        Wait(alice, "bob never showed as last seen", d => d.FindElements(By.CssSelector("#offline li[data-user-id='bob'] .last-seen")).Count == 1);
        Assert.Equal("last seen just now", alice.FindElement(By.CssSelector("#offline li[data-user-id='bob'] .last-seen")).Text);
        Assert.Equal("connected as alice", alice.FindElement(By.Id("status")).Text);
        Assert.Equal("away", alice.FindElement(By.Id("my-status")).GetDomProperty("value"));
    }

    [Fact]
    public void A_page_opened_after_a_teammate_left_shows_when_they_were_last_seen()
    {
        using (var bob = StartBrowser("bob"))
        {
            SignIn(bob, "bob", "red");
            WaitForUser(bob, "bob", present: true);
            bob.Quit();
        }

        using var alice = StartBrowser("alice");
        SignIn(alice, "alice", "red");
        WaitForUser(alice, "alice", present: true);

        Wait(alice, "bob never showed as last seen", d => d.FindElements(By.CssSelector("#offline li[data-user-id='bob'] .last-seen")).Count == 1
            && d.FindElement(By.CssSelector("#offline li[data-user-id='bob'] .last-seen")).Text == "last seen just now");
    }

    [Fact]
    public void The_javascript_client_start_rejects_without_a_token()
    {
        using var page = StartBrowser("anonymous");

        var outcome = (string?)((IJavaScriptExecutor)page).ExecuteAsyncScript("""
            const done = arguments[arguments.length - 1];
            const connection = new signalR.HubConnectionBuilder().withUrl("/hubs/presence").build();
            connection.start().then(() => done("started: " + connection.state), (error) => done("rejected: " + error));
            """);

        Assert.StartsWith("rejected: ", outcome, StringComparison.Ordinal);
        Assert.Contains("401", outcome, StringComparison.Ordinal);
    }

    private ChromeDriver StartBrowser(string name)
    {
        var service = ChromeDriverService.CreateDefaultService("/usr/bin", "chromedriver");
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = "/usr/bin/chromium" };
        options.AddArguments(
            "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-extensions",
            "--user-data-dir=" + Path.Combine(_profiles, name));
        var driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(90));
        driver.Navigate().GoToUrl(_app.BaseUrl);
        return driver;
    }

    private static void SignIn(IWebDriver driver, string userId, string team)
    {
        driver.FindElement(By.Id("user-id")).SendKeys(userId);
        var teamInput = driver.FindElement(By.Id("team"));
        teamInput.Clear();
        teamInput.SendKeys(team);
        driver.FindElement(By.Id("connect")).Click();
        new WebDriverWait(driver, Timeouts.Default).Until(d => d.FindElement(By.Id("status")).Text == $"connected as {userId}");
    }

    private static void WaitForUser(IWebDriver driver, string userId, bool present) =>
        Wait(driver, $"{userId} never {(present ? "appeared" : "disappeared")}", d => d.FindElements(By.CssSelector($"#online li[data-user-id='{userId}']")).Count > 0 == present);

    private static void Wait(IWebDriver driver, string message, Func<IWebDriver, bool> condition) =>
        new WebDriverWait(driver, Timeouts.Default) { Message = message }.Until(condition);
}
