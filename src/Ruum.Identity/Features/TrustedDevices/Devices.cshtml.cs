using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ruum.Identity.Features.Users;
using Microsoft.Extensions.Localization;
using Ruum.Identity.Features.Shared;

namespace Ruum.Identity.Features.TrustedDevices;

[Authorize]
public sealed class DevicesModel(TrustedDeviceStore devices, IStringLocalizer<FormMessages> text) : PageModel
{
    public IReadOnlyList<TrustedDevice> Devices { get; private set; } = [];

    public string? Message { get; private set; }

    public bool IsCurrent(TrustedDevice device) => devices.IsCurrentDevice(HttpContext, device);

    public async Task OnGetAsync() => Devices = await devices.ListActiveAsync(User.UserId(), HttpContext.RequestAborted);

    public async Task<IActionResult> OnPostRevokeAsync(Guid id)
    {
        var revoked = await devices.RevokeAsync(User.UserId(), id, HttpContext.RequestAborted);
        Message = text[revoked ? "The device was removed. It will be asked for a code at its next sign-in." : "That device was not found."];
        if (!revoked)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
        }
        await OnGetAsync();
        return Page();
    }

    public async Task<IActionResult> OnPostRevokeAllAsync()
    {
        var count = await devices.RevokeAllAsync(User.UserId(), "user", HttpContext.RequestAborted);
        Message = count == 1 ? text["1 device was removed."] : text["{0} devices were removed.", count];
        await OnGetAsync();
        return Page();
    }
}
