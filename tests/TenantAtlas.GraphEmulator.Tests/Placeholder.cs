namespace TenantAtlas.GraphEmulator.Tests;
