using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;
using Presence.SignalR.Tests.Infrastructure;
using Xunit;

namespace Presence.SignalR.Tests;

/// <summary>The demo page end to end in headless Chromium: two teammates see each other come and go.</summary>
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
    public void Two_teammates_see_each_other_and_a_closed_page_disappears()
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

        bob.Quit();

        WaitForUser(alice, "bob", present: false);
        WaitForUser(alice, "alice", present: true);
        Assert.Equal("connected as alice", alice.FindElement(By.Id("status")).Text);
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

    private static void WaitForUser(IWebDriver driver, string userId, bool present)
    {
        var wait = new WebDriverWait(driver, Timeouts.Default) { Message = $"{userId} never {(present ? "appeared" : "disappeared")}" };
        wait.Until(d => d.FindElements(By.CssSelector($"#online li[data-user-id='{userId}']")).Count > 0 == present);
    }
}
