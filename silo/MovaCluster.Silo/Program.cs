var builder = WebApplication.CreateBuilder(args);

builder.AddServiceDefaults();
builder.AddMovaSilo();
builder.AddMovaPlanning();
builder.AddMovaSiloHttp();

var app = builder.Build();

app.MapDefaultEndpoints();
app.MapMovaSiloHttp();

app.Run();
