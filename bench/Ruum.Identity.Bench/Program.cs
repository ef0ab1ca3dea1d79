using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using Ruum.Identity.Bench;

// Used by scripts/bench.sh; prints machine-readable "key=value" lines.
//   bcrypt <work-factor> <count>                                  seconds per bcrypt verify, one thread, and each
//                                                                 core's seconds per verify with every core verifying
//   crypto <seconds>                                              RS256/ES256 signatures per second and RS256
//                                                                 verification µs, one thread, and RS256 signatures
//                                                                 per second with every core signing (this machine's ceilings)
//   trust-device <base-url> <email> <password> <totp-secret> <device-file>
//                                                                 password + authenticator code, "trust this device"
//   refresh-tokens <base-url> <email> <password> <device-file> <count> <file>
//                                                                 signs in once, then collects refresh tokens
//                                                                 (and one access token in <file>.access)
//   login <base-url> <email> <password> <device-file> <concurrency> <seconds>
//                                                                 full code flows through the login form
//   validate <jwks-url> <access-token> <seconds>                  µs to validate that token with IdentityModel alone
//                                                                 (signature, issuer, audience, lifetime, typ, claims),
//                                                                 one thread: what an API's validation cannot go below
return args switch
{
    ["bcrypt", var factor, var count] => MeasureBcrypt(int.Parse(factor, CultureInfo.InvariantCulture), int.Parse(count, CultureInfo.InvariantCulture)),
    ["crypto", var seconds] => MeasureSignatures(TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture))),
    ["trust-device", var url, var email, var password, var secret, var device] => await TrustDeviceAsync(new Uri(url), email, password, secret, device),
    ["refresh-tokens", var url, var email, var password, var device, var count, var file] =>
        await CollectRefreshTokensAsync(new Uri(url), email, password, device, int.Parse(count, CultureInfo.InvariantCulture), file),
    ["login", var url, var email, var password, var device, var concurrency, var seconds] =>
        await LoginLoad.RunAsync(new Uri(url), email, password, device, int.Parse(concurrency, CultureInfo.InvariantCulture),
            TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture))),
    ["validate", var jwks, var token, var seconds] =>
        await MeasureValidationAsync(new Uri(jwks), token, TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture))),
    _ => Usage(),
};

static int MeasureBcrypt(int factor, int count)
{
    var hash = BCrypt.Net.BCrypt.HashPassword("benchmark-password", factor);
    BCrypt.Net.BCrypt.Verify("benchmark-password", hash);
    double SecondsPerVerify()
    {
        var watch = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            BCrypt.Net.BCrypt.Verify("benchmark-password", hash);
        }
        return watch.Elapsed.TotalSeconds / count;
    }
    var alone = SecondsPerVerify();
    // Every core verifying at once, as the login rows keep them busy.
    var allCores = OnEveryCoreAtOnce(SecondsPerVerify).Average();
    Console.WriteLine(FormattableString.Invariant($"bcrypt_seconds={alone:F4}"));
    Console.WriteLine(FormattableString.Invariant($"bcrypt_all_cores_seconds={allCores:F4}"));
    return 0;
}

// The same .NET calls the server and the validation package make per token, so their figures scale with these.
static int MeasureSignatures(TimeSpan duration)
{
    var data = new byte[300];
    using var rsa = RSA.Create(2048);
    using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
    var sha256 = HashAlgorithmName.SHA256;
    var pkcs1 = RSASignaturePadding.Pkcs1;
    var signature = rsa.SignData(data, sha256, pkcs1);
    var rsSign = PerSecond(() => rsa.SignData(data, sha256, pkcs1), duration);
    var rsVerify = PerSecond(() => rsa.VerifyData(data, signature, sha256, pkcs1), duration);
    var esSign = PerSecond(() => ec.SignData(data, sha256), duration);
    var rsSignAllCores = OnEveryCoreAtOnce(() => PerSecond(() => rsa.SignData(data, sha256, pkcs1), duration)).Sum();
    Console.WriteLine(FormattableString.Invariant($"rs256_sign_per_second={rsSign:F0}"));
    Console.WriteLine(FormattableString.Invariant($"rs256_sign_all_cores_per_second={rsSignAllCores:F0}"));
    Console.WriteLine(FormattableString.Invariant($"rs256_verify_us={1_000_000 / rsVerify:F1}"));
    Console.WriteLine(FormattableString.Invariant($"es256_sign_per_second={esSign:F0}"));
    return 0;
}

// One measurement per core, all running at once: cores that share a physical core or a host can each run slower
// than one core alone, so they need not add up to cores x one.
static double[] OnEveryCoreAtOnce(Func<double> measure) =>
    Enumerable.Range(0, Environment.ProcessorCount).AsParallel().WithDegreeOfParallelism(Environment.ProcessorCount)
        .Select(_ => measure()).ToArray();

// Operations per second of one thread, after a short warm-up.
static double PerSecond(Action operation, TimeSpan duration)
{
    for (var i = 0; i < 50; i++)
    {
        operation();
    }
    var watch = Stopwatch.StartNew();
    var count = 0;
    while (watch.Elapsed < duration)
    {
        operation();
        count++;
    }
    return count / watch.Elapsed.TotalSeconds;
}

static async Task<int> MeasureValidationAsync(Uri jwks, string token, TimeSpan duration)
{
    using var http = new HttpClient();
    var handler = new JsonWebTokenHandler();
    var read = handler.ReadJsonWebToken(token);
    var parameters = new TokenValidationParameters
    {
        ValidIssuer = read.Issuer,
        ValidAudiences = read.Audiences,
        IssuerSigningKeys = new JsonWebKeySet(await http.GetStringAsync(jwks)).GetSigningKeys(),
        ValidTypes = ["at+jwt"],
    };
    var first = await handler.ValidateTokenAsync(token, parameters);
    if (!first.IsValid)
    {
        throw first.Exception;
    }
    var perSecond = PerSecond(() => _ = handler.ValidateTokenAsync(token, parameters).GetAwaiter().GetResult().ClaimsIdentity, duration);
    Console.WriteLine(FormattableString.Invariant($"jwt_validate_us={1_000_000 / perSecond:F1}"));
    return 0;
}

static async Task<int> TrustDeviceAsync(Uri server, string email, string password, string totpSecret, string deviceFile)
{
    using var browser = new BrowserFlow(server);
    await browser.TrustDeviceAsync(email, password, totpSecret, deviceFile);
    Console.WriteLine("trusted_device=" + deviceFile);
    return 0;
}

static async Task<int> CollectRefreshTokensAsync(Uri server, string email, string password, string deviceFile, int count, string file)
{
    using var browser = new BrowserFlow(server, deviceFile);
    await browser.SignInAsync(email, password);
    var tokens = new List<string>(count);
    var accessToken = "";
    while (tokens.Count < count)
    {
        (accessToken, var refreshToken) = await browser.AuthorizeAndRedeemAsync();
        tokens.Add(refreshToken);
    }
    await File.WriteAllLinesAsync(file, tokens);
    await File.WriteAllTextAsync(file + ".access", accessToken);
    Console.WriteLine($"refresh_tokens={tokens.Count}");
    return 0;
}

static int Usage()
{
    Console.Error.WriteLine("usage: bcrypt | crypto | trust-device | refresh-tokens | login | validate (see the comment at the top of Program.cs)");
    return 2;
}
