var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMovaClusterClient();
builder.AddMovaGateway();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapMovaGateway();

app.Run();
