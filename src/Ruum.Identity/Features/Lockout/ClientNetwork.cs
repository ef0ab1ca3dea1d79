using System.Net;
using System.Net.Sockets;

namespace Ruum.Identity.Features.Lockout;

/// <summary>
/// The unit a per-IP limit counts: an IPv4 address, or an IPv6 /64 (RFC 4291 §2.5.4: one /64 is one link, and a
/// single host commonly holds the whole of it, so per-address limits there are per-attempt limits).
/// </summary>
internal static class ClientNetwork
{
    public static string Of(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }
        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }
}
