var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMovaSilo();
builder.AddMovaPlanning();
builder.AddMovaApi();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapMovaApi();
app.MapMovaOrleansDashboard();

app.Run();
