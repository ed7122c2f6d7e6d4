var builder = WebApplication.CreateBuilder(args);
if (builder.TryRunSiloCommand(args, out var exitCode))
{
    return exitCode;
}

builder.AddServiceDefaults();
builder.AddMovaSilo();
builder.AddMovaPlanning();
builder.AddMovaApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapMovaApi();
app.MapMovaOrleansDashboard();

app.Run();
return 0;
