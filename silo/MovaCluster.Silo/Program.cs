var builder = WebApplication.CreateBuilder(args);
if (builder.TryRunSiloCommand(args, out var exitCode))
{
    return exitCode;
}

builder.AddServiceDefaults();
builder.AddMovaSilo();
builder.AddMovaPlanning();
builder.AddMovaSiloHttp();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapMovaSiloHttp();

app.Run();
return 0;
