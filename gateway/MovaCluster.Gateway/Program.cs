var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMovaClusterClient();
builder.AddMovaApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapMovaApi();

app.Run();

