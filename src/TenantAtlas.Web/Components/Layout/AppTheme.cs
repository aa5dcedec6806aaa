using MudBlazor;

namespace TenantAtlas.Web.Components.Layout;

/// <summary>The portal's colours, shared by the main layout and the plain one.</summary>
internal static class AppTheme
{
    public static readonly MudTheme Theme = new()
    {
        PaletteLight = new PaletteLight { Primary = "#1e5aa8", AppbarBackground = "#16325c" },
        PaletteDark = new PaletteDark { Primary = "#6ea8fe" },
    };
}
