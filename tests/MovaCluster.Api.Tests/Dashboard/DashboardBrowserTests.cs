using Microsoft.Extensions.DependencyInjection;
using MovaCluster.Contracts.Jobs;
using MovaCluster.Silo.Hosting;
using MovaCluster.Testing;
using OpenQA.Selenium;

namespace MovaCluster.Api.Tests.Dashboard;

/// <summary>The operator dashboard in real headless Chromium against a running in-process cluster.</summary>
public sealed class DashboardBrowserTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Progress_advances_live_and_a_cancel_click_cancels_the_running_job()
    {
        await using var cluster = new LiveSiloFactory<SiloHealthCheck>(stepDelay: TimeSpan.FromMilliseconds(600));
        var jobId = await cluster.CreateVideoAsync(steps: 50);
        using var chromium = new HeadlessChromium();
        var browser = chromium.Driver;

        browser.Navigate().GoToUrl(new Uri(cluster.BaseAddress, "/dashboard#key=" + DevelopmentKeys.Operator));
        await Eventually.HoldsAsync(() => browser.FindElement(By.Id("live")).Text, text => text == "live", Patience, "The live feed connecting");
        // A marker on the window: it survives only if the page is never reloaded.
        browser.ExecuteScript("window.__loadedOnce = 'yes';");
        var row = By.CssSelector($"tr[data-job-id='{jobId}']");
        var bar = By.CssSelector($"tr[data-job-id='{jobId}'] .bar");
        var first = await Eventually.HoldsAsync(() => StepOf(browser, bar), step => step >= 1, Patience, "The job's bar showing a first step");
        var later = await Eventually.HoldsAsync(() => StepOf(browser, bar), step => step >= first + 3, Patience, "The bar advancing");

        Assert.Equal("yes", browser.ExecuteScript("return window.__loadedOnce;"));
        Assert.True(later > first);
        Assert.Matches("^step [0-9]+ of 50$", browser.FindElement(bar).Text);
        Assert.Equal("50", browser.FindElement(bar).GetDomAttribute("aria-valuemax"));
        Assert.Contains("Running", browser.FindElement(row).Text, StringComparison.Ordinal);
        Assert.NotEmpty(browser.FindElements(By.CssSelector("#workers tbody tr")));
        Assert.NotEmpty(browser.FindElements(By.CssSelector("#silos tbody tr")));
        await Eventually.HoldsAsync(() => browser.FindElement(By.Id("plan-note")).Text,
            text => text.StartsWith("Execution plan: replica (Throughput) for 1 × H100-80GB", StringComparison.Ordinal), Patience, "The active plan showing");
        await Eventually.HoldsAsync(
            () => browser.FindElement(By.CssSelector($"tr[data-job-id='{jobId}'] img.preview")).GetDomProperty("naturalWidth"),
            width => int.TryParse(width, out var pixels) && pixels > 0, Patience, "The latest preview strip showing");
        var screenshot = chromium.SaveScreenshot("dashboard-job-in-flight");
        Assert.True(new FileInfo(screenshot).Length > 10_000, $"Screenshot {screenshot} is implausibly small.");

        browser.FindElement(By.CssSelector($"tr[data-job-id='{jobId}'] button.cancel-job")).Click();

        await Eventually.HoldsAsync(() => browser.FindElement(row).Text, text => text.Contains("Cancelled", StringComparison.Ordinal), Patience,
            "The row showing the job cancelled");
        var snapshot = await cluster.Services.GetRequiredService<IClusterClient>().GetGrain<IJobGrain>(jobId).GetAsync();
        Assert.Equal(JobStatus.Cancelled, snapshot.Status);
        Assert.True(snapshot.CompletedSteps < 50, $"The job ran to the end ({snapshot.CompletedSteps} steps) instead of stopping.");
        Assert.Equal("yes", browser.ExecuteScript("return window.__loadedOnce;"));
        chromium.SaveScreenshot("dashboard-job-cancelled");
    }

    [Fact]
    public async Task Without_an_operator_key_the_page_asks_for_one_and_a_tenant_key_is_refused()
    {
        await using var cluster = new LiveSiloFactory<SiloHealthCheck>(stepDelay: TimeSpan.Zero);
        cluster.StartServer();
        using var chromium = new HeadlessChromium();
        var browser = chromium.Driver;

        browser.Navigate().GoToUrl(new Uri(cluster.BaseAddress, "/dashboard"));
        await Eventually.HoldsAsync(() => browser.FindElement(By.Id("key-form")).Displayed, shown => shown, Patience, "The key form showing");
        browser.FindElement(By.Id("key-input")).SendKeys(DevelopmentKeys.Tenant);
        browser.FindElement(By.CssSelector("#key-form button")).Click();

        var error = await Eventually.HoldsAsync(() => browser.FindElement(By.Id("key-error")).Text, text => text.Length > 0, Patience, "The refusal showing");
        Assert.Equal("That key is not an operator key.", error);
        Assert.Empty(browser.FindElements(By.CssSelector("#jobs tbody tr")));
    }

    private static int StepOf(IWebDriver browser, By bar) =>
        int.Parse(browser.FindElement(bar).GetDomAttribute("data-step") ?? "-1", System.Globalization.CultureInfo.InvariantCulture);
}
