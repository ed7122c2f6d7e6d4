using MovaCluster.MediaStorage.Benchmarks;

Console.WriteLine($"Machine: {Environment.ProcessorCount} logical CPUs, {Environment.OSVersion}, .NET {Environment.Version}");
var only = args.Length > 0 ? args[0] : "all";
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
