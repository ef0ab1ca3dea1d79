using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Ruum.Identity.Features.Otp;

/// <summary>
/// HMAC-SHA256 with the server key (<see cref="OtpOptions.HashingKey"/>). Codes and tokens are stored only as this
/// hash; the purpose is part of the input so a hash made for one use never matches another.
/// </summary>
public sealed class KeyedHasher(IOptions<OtpOptions> options)
{
    private readonly byte[] _key = Encoding.UTF8.GetBytes(options.Value.HashingKey);

    public string Hash(string purpose, string value) =>
        Convert.ToHexString(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(purpose + "\n" + value)));

    public bool Matches(string purpose, string value, string expectedHash) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(purpose, value)), Encoding.ASCII.GetBytes(expectedHash));
}
