namespace Ruum.Identity.Features.TrustedDevices;

public static class TrustedDevicesSetup
{
    public static WebApplicationBuilder AddRuumTrustedDevices(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<TrustedDeviceOptions>().Bind(builder.Configuration.GetSection(TrustedDeviceOptions.Section))
            .ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddScoped<TrustedDeviceStore>();
        return builder;
    }
}
