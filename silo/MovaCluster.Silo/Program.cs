var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMovaSilo();
builder.AddMovaPlanning();
builder.AddMovaGateway();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapMovaGateway();
app.MapMovaOrleansDashboard();

app.Run();
