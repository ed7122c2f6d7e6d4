using MovaCluster.MediaStorage.Benchmarks;

var only = args.Length > 0 ? args[0] : "all";
if (only == "publish-once")
{
    // A child process of the publish benchmark: one measured publish, no banner.
    await PublishBenchmark.RunOnceAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture));
    return;
}

Console.WriteLine($"Machine: {Environment.ProcessorCount} logical CPUs, {Environment.OSVersion}, .NET {Environment.Version}");
if (only is "all" or "mux")
{
    await MuxBenchmark.RunAsync();
}

if (only is "all" or "preview")
{
    PreviewBenchmark.Run();
}

if (only is "all" or "upload")
{
    await UploadBenchmark.RunAsync();
}

if (only is "all" or "publish")
{
    await PublishBenchmark.RunAsync();
}
