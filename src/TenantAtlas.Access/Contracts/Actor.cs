namespace TenantAtlas.Access.Contracts;

/// <summary>Who starts or changes something: a signed-in user (checked against capabilities) or the system (recorded with a reason).</summary>
public abstract record Actor
{
    public static Actor User(Guid userId) => new UserActor(userId);

    public static Actor System(string reason) => new SystemActor(reason);
}

public sealed record UserActor(Guid UserId) : Actor;

public sealed record SystemActor(string Reason) : Actor;
