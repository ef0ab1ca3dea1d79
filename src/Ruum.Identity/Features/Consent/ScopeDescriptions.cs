namespace Ruum.Identity.Features.Consent;

public static class ScopeDescriptions
{
    public static string Describe(string scope) => scope switch
    {
        "openid" => "Know who you are",
        "profile" => "See your name",
        "email" => "See your email address",
        "offline_access" => "Stay connected when you are not using it",
        "ruum.api" => "Use Ruum on your behalf",
        "ruum.permissions" => "See your roles and permissions in Ruum",
        _ => scope,
    };
}
