using OpenQA.Selenium.Chrome;

namespace MovaCluster.Api.Tests.Dashboard;

/// <summary>
/// Debian's chromium driven through Debian's chromedriver (tests/install-test-deps.sh installs both); nothing is
/// downloaded. Each browser gets its own throw-away profile folder.
/// </summary>
public sealed class HeadlessChromium : IDisposable
{
    public const string BrowserPath = "/usr/bin/chromium";
    public const string DriverPath = "/usr/bin/chromedriver";

    private readonly string _profile = Path.Combine(Path.GetTempPath(), "mova-chromium-" + Guid.NewGuid().ToString("N"));

    public HeadlessChromium()
    {
        if (!File.Exists(BrowserPath) || !File.Exists(DriverPath))
        {
            throw new FileNotFoundException(
                $"The browser tests need {BrowserPath} and {DriverPath}: run tests/install-test-deps.sh (Debian packages chromium, chromium-driver).");
        }

        Directory.CreateDirectory(_profile);
        var options = new ChromeOptions { BinaryLocation = BrowserPath };
        options.AddArguments(
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run", "--window-size=1600,1200", $"--user-data-dir={_profile}");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(DriverPath)!, Path.GetFileName(DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public ChromeDriver Driver { get; }

    /// <summary>Saves a screenshot under artifacts/test-results/dashboard/ and returns its path.</summary>
    public string SaveScreenshot(string name)
    {
        var folder = Path.Combine(MovaCluster.Testing.RepositoryPaths.Root, "artifacts", "test-results", "dashboard");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name + ".png");
        Driver.GetScreenshot().SaveAsFile(path);
        return path;
    }

    public void Dispose()
    {
        Driver.Quit();
        Driver.Dispose();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium may still be releasing its profile lock; the temp folder is cleaned by the OS later.
        }
    }
}
