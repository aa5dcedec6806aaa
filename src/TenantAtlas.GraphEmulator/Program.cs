using TenantAtlas.GraphEmulator;

// Standalone: dotnet run --project src/TenantAtlas.GraphEmulator -- --urls http://127.0.0.1:5090
await GraphEmulatorApp.BuildStandalone(args).RunAsync();
